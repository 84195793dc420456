"""The sandbox's Odoo database: one database, a bot user with an API key, and its companies."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_sandbox.ledger import AdministrationProfile

DATABASE = "monitr-sandbox"
# A dedicated bot user, as Odoo recommends for integrations (external_api.rst, Access Rights).
LOGIN = "monitr-bot@example.com"
USER_ID = 6
USER_NAME = "Monitr Bot"
SERVER_VERSION = "19.0"
SERVER_VERSION_INFO = [19, 0, 0, "final", 0, ""]
EUR = (1, "EUR")  # res.currency; Odoo's own id for EUR differs per database


@dataclass(frozen=True)
class Company:
    """A res.company of the database, booked from a sandbox ledger profile."""

    id: int
    profile: AdministrationProfile
    country: tuple[int, str]  # res.country as a many2one value
    # res.company fiscalyear_last_day (integer) and fiscalyear_last_month (a selection: '1'..'12').
    fiscalyear_last_day: int = 31
    fiscalyear_last_month: str = "12"

    @property
    def name(self) -> str:
        return self.profile.name


# Odoo's customers here: a Dutch installation company and its Belgian sister company (PCMN chart).
# Small books keep the first import quick; the sandbox's fiscal years are calendar years.
COMPANIES: tuple[Company, ...] = (
    Company(1, AdministrationProfile(
        "ODOO-NL-1", "Installatiebedrijf Verhoeven B.V.", "NL", seed=801_001,
        sales_invoices_per_month=7, purchase_invoices_per_month=5, avg_sales_amount=2100,
        avg_purchase_amount=700, monthly_wages=6400, monthly_rent=1400, equipment_items=3,
        loan_amount=20_000, revenue_categories=("revenue_high", "revenue_services"),
        purchase_categories=("cost_of_goods", "energy", "other_costs")), (165, "Netherlands")),
    Company(2, AdministrationProfile(
        "ODOO-BE-2", "Verhoeven Technics BV", "BE", seed=801_002,
        sales_invoices_per_month=6, purchase_invoices_per_month=4, avg_sales_amount=1800,
        avg_purchase_amount=650, monthly_wages=5200, monthly_rent=1200, equipment_items=2,
        loan_amount=0, revenue_categories=("revenue_high", "revenue_low"),
        purchase_categories=("cost_of_goods", "maintenance", "other_costs")), (20, "Belgium")),
)
