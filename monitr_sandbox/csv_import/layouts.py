"""The sandbox's two export layouts: a Dutch package's columns and a Belgian (French) one's.

Each table is a list of (header, cell) columns; a cell function gets the export format and the
record (GL: an (entry, line) pair) and returns the text to write. The Dutch layout carries line
numbers, fiscal years/periods, a signed amount, registration ids and an unknown extra column;
the Belgian one leaves those out (positional line numbers, periods from dates, content keys)
and splits amounts into debit and credit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitr_sandbox.csv_import.formats import ExportFormat
from monitr_sandbox.ledger import Ledger

Cell = Callable[[ExportFormat, Any], object]

ENTRY_TYPE_WORDS = {
    "nl": {"opening": "Beginbalans", "sales": "Verkoop", "sales_credit": "Creditnota verkoop",
           "purchase": "Inkoop", "bank": "Bank", "depreciation": "Afschrijving",
           "general": "Memoriaal"},
    "fr": {"opening": "Ouverture", "sales": "Vente", "sales_credit": "Note de crédit vente",
           "purchase": "Achat", "bank": "Banque", "depreciation": "Amortissement",
           "general": "Opérations diverses"},
}


@dataclass(frozen=True)
class Layout:
    language: str
    tables: dict[str, tuple[tuple[str, Cell], ...]]

    def header(self, table: str) -> list[str]:
        return [header for header, _ in self.tables[table]]

    def row(self, table: str, fmt: ExportFormat, record: Any) -> list[object]:
        return [cell(fmt, record) for _, cell in self.tables[table]]


def _invoice(line) -> object:
    return line.open_item.invoice_number if line.open_item else None


def _due(fmt: ExportFormat, line) -> str:
    return fmt.date(line.open_item.due_date) if line.open_item else ""


def _relation(entry) -> object:
    return entry.relation.code if entry.relation else None


def _gl_dutch(ledger: Ledger) -> tuple[tuple[str, Cell], ...]:
    names = {a.code: a.name for a in ledger.accounts}
    return (
        ("Dagboek", lambda f, r: r[0].journal_code),
        ("Boekstuk", lambda f, r: r[0].entry_number),
        ("Regel", lambda f, r: r[1].line_number),
        ("Datum", lambda f, r: f.date(r[0].date)),
        ("Boekjaar", lambda f, r: r[0].fiscal_year),
        ("Periode", lambda f, r: r[0].date.month),
        ("Grootboekrekening", lambda f, r: r[1].account_code),
        ("Omschrijving grootboek", lambda f, r: names[r[1].account_code]),
        ("Omschrijving", lambda f, r: r[1].description or r[0].description),
        ("Bedrag", lambda f, r: f.number(r[1].amount)),
        ("Valuta", lambda f, r: ledger.profile.currency),
        ("Btw-code", lambda f, r: r[1].vat_code),
        ("Project", lambda f, r: r[1].project_code),
        ("Relatie", lambda f, r: _relation(r[0])),
        ("Factuurnummer", lambda f, r: _invoice(r[1])),
        ("Vervaldatum", lambda f, r: _due(f, r[1])),
        ("Boekingstype", lambda f, r: ENTRY_TYPE_WORDS["nl"][r[0].entry_type]),
        ("Ingevoerd door", lambda f, r: "sandbox"),  # not a template field: ignored on import
    )


def _gl_french(ledger: Ledger) -> tuple[tuple[str, Cell], ...]:
    names = {a.code: a.name for a in ledger.accounts}
    return (
        ("Journal", lambda f, r: r[0].journal_code),
        ("N° pièce", lambda f, r: r[0].entry_number),
        ("Date", lambda f, r: f.date(r[0].date)),
        ("Compte", lambda f, r: r[1].account_code),
        ("Intitulé compte", lambda f, r: names[r[1].account_code]),
        ("Libellé", lambda f, r: r[1].description or r[0].description),
        ("Débit", lambda f, r: f.number(r[1].amount) if r[1].amount > 0 else ""),
        ("Crédit", lambda f, r: f.number(-r[1].amount) if r[1].amount < 0 else ""),
        ("Code TVA", lambda f, r: r[1].vat_code),
        ("Projet", lambda f, r: r[1].project_code),
        ("Tiers", lambda f, r: _relation(r[0])),
        ("Numéro de facture", lambda f, r: _invoice(r[1])),
        ("Échéance", lambda f, r: _due(f, r[1])),
        ("Type de journal", lambda f, r: ENTRY_TYPE_WORDS["fr"][r[0].entry_type]),
    )


_STATEMENT_WORDS = {"nl": {"B": "Balans", "W": "W&V"}, "fr": {"B": "Bilan", "W": "Résultat"}}
_SIDE_WORDS = {"nl": {"D": "Debet", "C": "Credit"}, "fr": {"D": "Débit", "C": "Crédit"}}


def dutch_layout(ledger: Ledger) -> Layout:
    statement, side = _STATEMENT_WORDS["nl"], _SIDE_WORDS["nl"]
    return Layout("nl", {
        "gl_lines": _gl_dutch(ledger),
        "accounts": (
            ("Grootboekrekening", lambda f, a: a.code),
            ("Omschrijving", lambda f, a: a.name),
            ("Balans/W&V", lambda f, a: statement[a.balance_type]),
            ("Debet/Credit", lambda f, a: side[a.balance_side]),
            ("RGS-code", lambda f, a: a.rgs_code),
            ("Geblokkeerd", lambda f, a: f.flag(False)),
        ),
        "projects": (
            ("Projectcode", lambda f, p: p[0].code),
            ("Omschrijving", lambda f, p: p[0].name),
            ("Startdatum", lambda f, p: f.date(p[0].start_date)),
            ("Einddatum", lambda f, p: f.date(p[0].end_date)),
            ("Actief", lambda f, p: f.flag(p[1])),
            ("Soort", lambda f, p: p[0].kind),
        ),
        "project_hours": (
            ("Registratienummer", lambda f, h: h.id),
            ("Project", lambda f, h: h.project_code),
            ("Datum", lambda f, h: f.date(h.date)),
            ("Medewerker", lambda f, h: h.employee.code),
            ("Naam medewerker", lambda f, h: h.employee.name),
            ("Uursoort", lambda f, h: h.activity),
            ("Uren", lambda f, h: f.number(h.hours)),
            ("Tarief", lambda f, h: f.number(h.rate)),
            ("Declarabel", lambda f, h: f.flag(h.billable)),
            ("Omschrijving", lambda f, h: h.description),
        ),
        "project_costs": (
            ("Kostenregel ID", lambda f, c: c.id),
            ("Project", lambda f, c: c.project_code),
            ("Datum", lambda f, c: f.date(c.date)),
            ("Kostensoort", lambda f, c: c.cost_type),
            ("Omschrijving", lambda f, c: c.description),
            ("Aantal", lambda f, c: f.number(c.quantity, 0)),
            ("Bedrag", lambda f, c: f.number(c.amount)),
            ("Leverancier", lambda f, c: c.supplier_code),
            ("Naam leverancier", lambda f, c: c.supplier_name),
            ("Boekstuk", lambda f, c: c.document),
        ),
    })


def french_layout(ledger: Ledger) -> Layout:
    statement, side = _STATEMENT_WORDS["fr"], _SIDE_WORDS["fr"]
    return Layout("fr", {
        "gl_lines": _gl_french(ledger),
        "accounts": (
            ("Compte", lambda f, a: a.code),
            ("Intitulé", lambda f, a: a.name),
            ("Bilan/Résultat", lambda f, a: statement[a.balance_type]),
            ("Sens", lambda f, a: side[a.balance_side]),
            ("Type", lambda f, a: a.account_type),
        ),
        "projects": (
            ("Code projet", lambda f, p: p[0].code),
            ("Nom du projet", lambda f, p: p[0].name),
            ("Date de début", lambda f, p: f.date(p[0].start_date)),
            ("Date de fin", lambda f, p: f.date(p[0].end_date)),
            ("Actif", lambda f, p: f.flag(p[1])),
            ("Type de projet", lambda f, p: p[0].kind),
        ),
        "project_hours": (
            ("Projet", lambda f, h: h.project_code),
            ("Date", lambda f, h: f.date(h.date)),
            ("Collaborateur", lambda f, h: h.employee.code),
            ("Nom collaborateur", lambda f, h: h.employee.name),
            ("Activité", lambda f, h: h.activity),
            ("Heures", lambda f, h: f.number(h.hours)),
            ("Taux horaire", lambda f, h: f.number(h.rate)),
            ("Facturable", lambda f, h: f.flag(h.billable)),
            ("Commentaire", lambda f, h: h.description),
        ),
        "project_costs": (
            ("Projet", lambda f, c: c.project_code),
            ("Date", lambda f, c: f.date(c.date)),
            ("Type de coût", lambda f, c: c.cost_type),
            ("Libellé", lambda f, c: c.description),
            ("Quantité", lambda f, c: f.number(c.quantity, 0)),
            ("Montant", lambda f, c: f.number(c.amount)),
            ("Fournisseur", lambda f, c: c.supplier_code),
            ("Nom fournisseur", lambda f, c: c.supplier_name),
            ("N° pièce", lambda f, c: c.document),
        ),
    })
