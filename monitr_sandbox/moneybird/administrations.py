"""The sandbox's Moneybird login: its administrations (NL only, as Moneybird) and app credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from monitr_sandbox.ledger import AdministrationProfile

SANDBOX_CLIENT_ID = "9f3c1e7a5b2d4c8e0a6f1b3d5e7c9a2b"  # Moneybird client ids are 32 hex characters
SANDBOX_CLIENT_SECRET = "sandbox-moneybird-secret"


@dataclass(frozen=True)
class Administration:
    """A Moneybird administration; its id is the ledger profile's code (18 digits, as Moneybird's)."""

    profile: AdministrationProfile
    language: str = "nl"
    time_zone: str = "Europe/Amsterdam"

    @property
    def id(self) -> str:
        return self.profile.code

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def period_start_date(self) -> date:
        """Start of the first year with bookings (Moneybird books calendar years)."""
        return date(self.profile.fiscal_years[0], 1, 1)


# Moneybird's customers are small businesses: a design studio without stock, and a bicycle shop.
SANDBOX_ADMINISTRATIONS: tuple[Administration, ...] = (
    Administration(AdministrationProfile(
        "412365197880411201", "Studio Visser Ontwerp", "NL", seed=412_201,
        sales_invoices_per_month=9, purchase_invoices_per_month=5, avg_sales_amount=1850,
        avg_purchase_amount=420, monthly_wages=5200, monthly_rent=1150, equipment_items=3,
        loan_amount=0, revenue_categories=("revenue_services", "revenue_high"),
        purchase_categories=("other_costs", "energy", "maintenance"))),
    Administration(AdministrationProfile(
        "412365197880411202", "Fietsenmakerij Bakker", "NL", seed=412_202,
        sales_invoices_per_month=12, purchase_invoices_per_month=7, avg_sales_amount=900,
        avg_purchase_amount=650, monthly_wages=7800, monthly_rent=1900, equipment_items=4,
        loan_amount=40_000, revenue_categories=("revenue_high", "revenue_services"),
        purchase_categories=("cost_of_goods", "energy", "maintenance", "other_costs"))),
)
