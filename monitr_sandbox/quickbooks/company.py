"""The sandbox's QuickBooks company (one realm, as one consent gives access to one company) and app."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from monitr_sandbox.ledger import AdministrationProfile

SANDBOX_CLIENT_ID = "ABsAnDbOxQbOcLiEnTiD0123456789aBcDeFgHiJkLmNoPqRs"  # Intuit ids are 50 chars
SANDBOX_CLIENT_SECRET = "sandbox-quickbooks-secret"
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"

# Realm ids of Intuit sandbox companies are 16 digits (9130 3...); production ones 12-19.
SANDBOX_REALM = "9130357766901254"
SANDBOX_COMPANY = AdministrationProfile(
    SANDBOX_REALM, "Koffiebranderij Van Leeuwen B.V.", "NL", seed=913_035,
    sales_invoices_per_month=18, purchase_invoices_per_month=9, avg_sales_amount=1900,
    revenue_categories=("revenue_low", "revenue_high", "revenue_services"),
)
CURRENCY_NAMES = {"EUR": "Euro"}

# MetaData times and the `time` of every answer are written in Intuit's (Pacific) time zone.
INTUIT_TIME_ZONE = ZoneInfo("America/Los_Angeles")
