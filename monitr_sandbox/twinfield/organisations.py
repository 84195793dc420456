"""The sandbox's Twinfield organisations (one login each), their offices and clusters, and the app."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_sandbox.ledger import AdministrationProfile
from monitr_sandbox.ledger.ids import stable_id

SANDBOX_CLIENT_ID = "monitr-sandbox-twinfield"
SANDBOX_CLIENT_SECRET = "sandbox-twinfield-secret"


@dataclass(frozen=True)
class Office:
    """A Twinfield office ("company"): one set of books, addressed by its code in CompanyCode."""

    profile: AdministrationProfile

    @property
    def code(self) -> str:
        return self.profile.code

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def country(self) -> str:
        return self.profile.country


@dataclass(frozen=True)
class Organisation:
    """A Twinfield organisation: the login's customer account, hosted on one cluster."""

    code: str
    name: str
    cluster: str  # the cluster's name: accounting, accounting2, ...
    offices: tuple[Office, ...]
    user_code: str = "MONITR"

    @property
    def id(self) -> str:
        return str(stable_id(self.code, "twinfield-organisation"))

    @property
    def user_id(self) -> str:
        return str(stable_id(self.code, "twinfield-user", self.user_code))


# A Dutch accountancy organisation on the first cluster (two NL offices and one BE office of a
# client across the border), and a Belgian one on the second cluster.
SANDBOX_ORGANISATIONS: dict[str, Organisation] = {
    "nl": Organisation("TWF-DEMO-NL", "Demo Accountants NL", "accounting", (
        Office(AdministrationProfile("NLA000101", "Banketbakkerij Smit B.V.", "NL", seed=750_101)),
        Office(AdministrationProfile("NLA000102", "Smit Vastgoed B.V.", "NL", seed=750_102,
                                     sales_invoices_per_month=10, purchase_invoices_per_month=6,
                                     monthly_wages=0, monthly_rent=0, buildings=2,
                                     equipment_items=1, loan_amount=400_000)),
        Office(AdministrationProfile("BEA000103", "Smit Belgie BV", "BE", seed=750_103,
                                     sales_invoices_per_month=6, purchase_invoices_per_month=5,
                                     monthly_wages=6000)),
    )),
    "be": Organisation("TWF-DEMO-BE", "Demo Boekhouding BE", "accounting2", (
        Office(AdministrationProfile("BEA000201", "Frituur Peeters BV", "BE", seed=750_201,
                                     monthly_wages=9000, avg_sales_amount=1500)),
    )),
}


def organisation_of(environment: str) -> Organisation:
    try:
        return SANDBOX_ORGANISATIONS[environment]
    except KeyError:
        known = ", ".join(sorted(SANDBOX_ORGANISATIONS))
        raise ValueError(f"no sandbox Twinfield environment {environment!r} (known: {known})") from None
