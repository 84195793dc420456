"""The sandbox user's Octopus login: three Belgian dossiers (BE PCMN chart, EUR), each with at
least two book years, and the software house (OAuth client) the emulator knows."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_sandbox.ledger import AdministrationProfile

# The software house identification Octopus mails on registration; it is the OAuth client_id.
SANDBOX_CLIENT_ID = "5e1f2c3a-0c7e-4b8e-9a51-6f3d2b8c1a07"
# Octopus's token endpoint asks no secret (only the client_id); the engine sends one, ignored.
SANDBOX_CLIENT_SECRET = "octopus-sandbox-unused-secret"
SANDBOX_USER = "demo@monitr.example"


@dataclass(frozen=True)
class Dossier:
    dossier_id: int
    profile: AdministrationProfile

    @property
    def name(self) -> str:
        return self.profile.name


SANDBOX_DOSSIERS: tuple[Dossier, ...] = (
    Dossier(410_101, AdministrationProfile("OCT410101", "Bakkerij Janssens BV", "BE", seed=810_101,
                                           fiscal_years=(2024, 2025, 2026),
                                           sales_invoices_per_month=8,
                                           purchase_invoices_per_month=6)),
    Dossier(410_102, AdministrationProfile("OCT410102", "Garage Wouters BV", "BE", seed=810_102,
                                           sales_invoices_per_month=6,
                                           purchase_invoices_per_month=5, equipment_items=3)),
    Dossier(410_103, AdministrationProfile("OCT410103", "Vastgoed Maes NV", "BE", seed=810_103,
                                           sales_invoices_per_month=4,
                                           purchase_invoices_per_month=3, monthly_wages=0,
                                           monthly_rent=0, buildings=1, equipment_items=1,
                                           loan_amount=250_000,
                                           revenue_categories=("revenue_rent",))),
)


def dossier(dossier_id: int | str) -> Dossier:
    for candidate in SANDBOX_DOSSIERS:
        if str(candidate.dossier_id) == str(dossier_id):
            return candidate
    raise KeyError(f"no dossier {dossier_id} in the Octopus sandbox")
