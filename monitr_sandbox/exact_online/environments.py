"""The sandbox's Exact environments (one login per country), their divisions and the app credentials."""

from __future__ import annotations

from dataclasses import dataclass
from monitr_sandbox.ledger import AdministrationProfile

SANDBOX_CLIENT_ID = "a7e6a2d4-3c1b-4f0e-9d2a-5b8c1e0f4d21"  # Exact client ids are GUIDs
SANDBOX_CLIENT_SECRET = "sandbox-exact-secret"

# Real-estate companies invoice rent, own their buildings and carry a mortgage.
_PROPERTY = dict(
    sales_invoices_per_month=14, purchase_invoices_per_month=8, avg_sales_amount=2800,
    avg_purchase_amount=700, monthly_wages=4000, monthly_rent=0, buildings=4, equipment_items=1,
    loan_amount=900_000, revenue_categories=("revenue_rent", "revenue_services"),
    purchase_categories=("maintenance", "energy", "other_costs"),
)

SANDBOX_ENVIRONMENTS: dict[str, list[AdministrationProfile]] = {
    "nl": [
        AdministrationProfile("131001", "Bakkerij De Vries B.V.", "NL", seed=131_001),
        AdministrationProfile("131002", "De Vries Vastgoed B.V.", "NL", seed=131_002, **_PROPERTY),
    ],
    "be": [
        AdministrationProfile("240101", "Brasserie Janssens BV", "BE", seed=240_101,
                              monthly_wages=16000, avg_sales_amount=2600),
        AdministrationProfile("240102", "Janssens Immo BV", "BE", seed=240_102, **_PROPERTY),
    ],
}


@dataclass(frozen=True)
class Division:
    """An Exact division (administration) as the login sees it."""

    code: int
    name: str
    country: str
    currency: str
    hid: int  # the short number Exact shows in its division picker
    profile: AdministrationProfile


def divisions_of(environment: str) -> list[Division]:
    try:
        profiles = SANDBOX_ENVIRONMENTS[environment]
    except KeyError:
        known = ", ".join(sorted(SANDBOX_ENVIRONMENTS))
        raise ValueError(f"no sandbox environment {environment!r} (known: {known})") from None
    return [Division(int(p.code), p.name, p.country, p.currency, hid, p)
            for hid, p in enumerate(profiles, start=1)]
