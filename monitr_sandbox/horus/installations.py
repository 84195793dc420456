"""The sandbox's Horus installations (a fiduciary's and an SMB's, each with its own address) and
their folders; the one app registration Horus Software issues for every installation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitr_sandbox.ledger import AdministrationProfile

# Horus issues one client id and secret per integration, valid on every customer's installation.
SANDBOX_CLIENT_ID = "monitr-sandbox-horus"
SANDBOX_CLIENT_SECRET = "sandbox-horus-secret"


@dataclass(frozen=True)
class Folder:
    """A Horus folder (dossier): one company's books, addressed by its id under /folders."""

    id: int
    company_number: str  # the Belgian enterprise number (KBO/BCE)
    analytics: bool  # whether the folder keeps analytical accounts
    created_at: datetime
    profile: AdministrationProfile

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def country(self) -> str:
        return self.profile.country


@dataclass(frozen=True)
class Installation:
    """One customer's Horus: its own database and its own API address (an emulator each)."""

    key: str  # the sandbox environment
    name: str
    folders: tuple[Folder, ...]


def _folder(folder_id: int, code: str, name: str, number: str, seed: int, *, analytics: bool,
            **scale: int) -> Folder:
    profile = AdministrationProfile(code=code, name=name, country="BE", seed=seed, **scale)
    return Folder(folder_id, number, analytics, datetime(2024, 11, 4, 9, 30), profile)


INSTALLATIONS = {
    "fiduciary": Installation("fiduciary", "Fiduciaire Lambert & Co", (
        _folder(101, "HOR101", "Bakkerij Peeters BV", "0456.123.789", 6101, analytics=True,
                sales_invoices_per_month=9, purchase_invoices_per_month=6),
        _folder(102, "HOR102", "Garage Claes NV", "0467.234.890", 6102, analytics=False,
                sales_invoices_per_month=7, purchase_invoices_per_month=6, monthly_wages=9000),
        _folder(103, "HOR103", "Studio Maes SRL", "0478.345.901", 6103, analytics=True,
                sales_invoices_per_month=6, purchase_invoices_per_month=4, monthly_rent=1500,
                monthly_wages=0, equipment_items=3),
    )),
    "smb": Installation("smb", "Verbeke Group", (
        _folder(201, "HOR201", "Verbeke Technics NV", "0512.456.012", 6201, analytics=True,
                sales_invoices_per_month=8, purchase_invoices_per_month=6),
        _folder(202, "HOR202", "Verbeke Vastgoed BV", "0523.567.123", 6202, analytics=False,
                sales_invoices_per_month=4, purchase_invoices_per_month=3, monthly_wages=0,
                monthly_rent=0, buildings=1, equipment_items=1),
    )),
}
