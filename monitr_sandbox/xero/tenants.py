"""The sandbox's Xero login: its organisations (tenants), their settings, and the app credentials."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_sandbox.ledger import AdministrationProfile
from monitr_sandbox.ledger.ids import stable_id

# Xero client ids are 32 upper-case hex characters; the secret is the app's, never a user's.
SANDBOX_CLIENT_ID = "6F1C2B9E04A34D7B9C51E8A2D3F07B64"
SANDBOX_CLIENT_SECRET = "sandbox-xero-secret"
APP_NAME = "Monitr sandbox"  # the ProviderName Xero echoes in every response envelope


@dataclass(frozen=True)
class Tenant:
    """A Xero organisation the sandbox user can connect; tenantId is its OrganisationID."""

    profile: AdministrationProfile
    year_end_day: int
    year_end_month: int
    timezone: str  # Xero's TimeZone enum

    @property
    def tenant_id(self) -> str:
        return str(stable_id(self.profile.code, "xero-tenant"))

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def country(self) -> str:
        return self.profile.country

    @property
    def currency(self) -> str:
        return self.profile.currency


# A calendar-year bakery-style business in NL, and a BE print shop whose financial year ends on
# 30 June (fiscal periods must come from Organisation, not from calendar months).
SANDBOX_TENANTS: tuple[Tenant, ...] = (
    Tenant(AdministrationProfile("xero-nl-1", "Koffiebranderij Van Dijk B.V.", "NL", seed=710_001,
                                 sales_invoices_per_month=12, purchase_invoices_per_month=8),
           year_end_day=31, year_end_month=12, timezone="WEUROPESTANDARDTIME"),
    Tenant(AdministrationProfile("xero-be-1", "Drukkerij Claes BV", "BE", seed=720_001,
                                 sales_invoices_per_month=9, purchase_invoices_per_month=6,
                                 monthly_wages=9000),
           year_end_day=30, year_end_month=6, timezone="ROMANCESTANDARDTIME"),
)


def tenant(tenant_id: str) -> Tenant:
    for candidate in SANDBOX_TENANTS:
        if candidate.tenant_id == tenant_id:
            return candidate
    raise KeyError(f"no sandbox Xero tenant {tenant_id}")
