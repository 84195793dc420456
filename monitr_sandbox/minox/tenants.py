"""The sandbox's Minox subscriptions (tenants, by client number), their administrations, and the
app registration the emulator knows."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_sandbox.ledger import AdministrationProfile

SANDBOX_CLIENT_ID = "monitr-sandbox-minox"
SANDBOX_CLIENT_SECRET = "sandbox-minox-secret"


@dataclass(frozen=True)
class Administration:
    """One set of books in a subscription, addressed by its number within the tenant."""

    id: int
    profile: AdministrationProfile

    @property
    def name(self) -> str:
        return self.profile.name


@dataclass(frozen=True)
class Tenant:
    """A Minox subscription: the customer number (klantnummer) in every path, its main user
    (hoofdgebruiker, who gives consent) and the administrations the main user can see."""

    client_number: int
    main_user: str
    administrations: tuple[Administration, ...]

    def administration(self, administration_id: int) -> Administration:
        for administration in self.administrations:
            if administration.id == administration_id:
                return administration
        raise KeyError(f"no administration {administration_id} in tenant {self.client_number}")


def _nl(code: str, name: str, seed: int, **scale: int) -> AdministrationProfile:
    return AdministrationProfile(code, name, "NL", seed=seed, **scale)


# Three Dutch subscriptions, one administration each: every sandbox consent is one connection
# covering one administration, as Minox connections are (API_FACTS.md section 10).
SANDBOX_TENANTS: tuple[Tenant, ...] = (
    Tenant(10042, "hoofdgebruiker@korenschoof.example", (
        Administration(1, _nl("minox-10042-1", "Bakkerij De Korenschoof B.V.", 830_421)),)),
    Tenant(20317, "hoofdgebruiker@groenrijk.example", (
        Administration(3, _nl("minox-20317-3", "Hoveniersbedrijf Groenrijk", 830_317,
                              sales_invoices_per_month=9, purchase_invoices_per_month=7,
                              monthly_wages=9000, equipment_items=3)),)),
    Tenant(31876, "hoofdgebruiker@vandijkfietsen.example", (
        Administration(1, _nl("minox-31876-1", "Fietsenmakerij Van Dijk V.O.F.", 831_876,
                              sales_invoices_per_month=20, purchase_invoices_per_month=8,
                              monthly_wages=0, loan_amount=0)),)),
)


def tenant(client_number: int) -> Tenant:
    for candidate in SANDBOX_TENANTS:
        if candidate.client_number == client_number:
            return candidate
    raise KeyError(f"no sandbox Minox tenant {client_number}")


def external_id(tenant_: Tenant, administration: Administration) -> str:
    """How Monitr names the administration (client number / administration id)."""
    return f"{tenant_.client_number}/{administration.id}"
