"""The sandbox's Yuki domains (one per environment, one access key each) and their
administrations."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_sandbox.ledger import AdministrationProfile
from monitr_sandbox.ledger.ids import stable_id


@dataclass(frozen=True)
class YukiAdministration:
    """One set of books in a domain, addressed by its GUID (administrationID)."""

    profile: AdministrationProfile

    @property
    def id(self) -> str:
        return str(stable_id(self.profile.code, "yuki-administration"))

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def country(self) -> str:
        return self.profile.country


@dataclass(frozen=True)
class Domain:
    """A Yuki domain (an accountancy's or a company's environment): its administrations."""

    code: str
    name: str
    administrations: tuple[YukiAdministration, ...]

    @property
    def id(self) -> str:
        return str(stable_id(self.code, "yuki-domain"))


# The NL host's domain keeps Dutch books (NL chart), the BE host's Belgian ones (PCMN).
SANDBOX_DOMAINS: dict[str, Domain] = {
    "nl": Domain("YUKI-DEMO-NL", "Demo Administratiekantoor NL", (
        # Four fiscal years: the two oldest are closed (read once, one at a time while nothing
        # is known of their size); the last two are re-read.
        YukiAdministration(AdministrationProfile("YNL001", "Bakkerij Hendriks B.V.", "NL",
                                                 seed=771_101,
                                                 fiscal_years=(2023, 2024, 2025, 2026))),
        YukiAdministration(AdministrationProfile("YNL002", "Hendriks Vastgoed B.V.", "NL",
                                                 seed=771_102, sales_invoices_per_month=8,
                                                 purchase_invoices_per_month=5, monthly_wages=0,
                                                 monthly_rent=0, buildings=2, equipment_items=1,
                                                 loan_amount=350_000)),
        YukiAdministration(AdministrationProfile("YNL003", "Fietsenmakerij Jansen", "NL",
                                                 seed=771_103, sales_invoices_per_month=6,
                                                 purchase_invoices_per_month=4,
                                                 monthly_wages=4000, avg_sales_amount=800)),
    )),
    "be": Domain("YUKI-DEMO-BE", "Demo Boekhoudkantoor BE", (
        YukiAdministration(AdministrationProfile("YBE001", "Brouwerij Lambrechts BV", "BE",
                                                 seed=772_201, monthly_wages=11000)),
        YukiAdministration(AdministrationProfile("YBE002", "Lambrechts Horeca BV", "BE",
                                                 seed=772_202, sales_invoices_per_month=9,
                                                 purchase_invoices_per_month=7,
                                                 monthly_wages=5000, avg_sales_amount=900)),
    )),
}


def domain_of(environment: str) -> Domain:
    try:
        return SANDBOX_DOMAINS[environment]
    except KeyError:
        known = ", ".join(sorted(SANDBOX_DOMAINS))
        raise ValueError(f"no sandbox Yuki environment {environment!r} (known: {known})") from None
