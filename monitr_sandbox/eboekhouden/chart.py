"""The sandbox chart as e-Boekhouden ledgers: numeric ids, categories, VAT codes and VAT ledgers.

e-Boekhouden gives every ledger a category (BAL, VW, FIN, DEB, CRED and the VAT categories AF19,
AF6, AFOVERIG, VOOR, BTWRC; MCP client enums.py) and demands at least one ledger of each category
(LEDG_016), so the VAT categories the sandbox chart lacks get their own (empty) system ledgers.
VAT is never booked by hand on an invoice: e-Boekhouden books each row's VAT on the ledger of the
VAT code's category, so the sandbox's one 'VAT payable' account splits into AF19 (21 %) and AF6 (9 %).
"""

from __future__ import annotations

from dataclasses import dataclass

from monitr_sandbox.ledger import Ledger

LEDGER_ID_BASE = 13_201_000  # e-Boekhouden ledger ids are large numbers (13201861, ...)
COST_CENTRE_ID_BASE = 40_100
RELATION_ID_BASE = 22_982_000

_CATEGORY_BY_ROLE = {"bank": "FIN", "cash": "FIN", "receivables": "DEB", "payables": "CRED",
                     "vat_payable": "AF19", "vat_recoverable": "VOOR"}
_SYSTEM_LEDGERS = (("1520", "Af te dragen btw laag tarief", "AF6"),
                   ("1530", "Af te dragen btw overig", "AFOVERIG"),
                   ("1540", "Btw rekening-courant", "BTWRC"))
_GROUPS = {"0": "Vaste activa en lang vermogen", "1": "Vlottende activa en kort vermogen",
           "4": "Bedrijfskosten", "7": "Kostprijs omzet", "8": "Omzet en baten"}

# Sandbox VAT codes (direction, level) -> e-Boekhouden VAT codes (swagger intro, NL table).
VAT_CODES = {("sales", "high"): "HOOG_VERK_21", ("sales", "reduced"): "LAAG_VERK_9",
             ("sales", "exempt"): "GEEN", ("purchase", "high"): "HOOG_INK_21",
             ("purchase", "reduced"): "LAAG_INK_9", ("purchase", "exempt"): "GEEN"}
NO_VAT = "GEEN"
# The ledger category each VAT code's VAT is booked on.
VAT_CATEGORIES = {"HOOG_VERK_21": "AF19", "LAAG_VERK_9": "AF6", "HOOG_INK_21": "VOOR",
                  "LAAG_INK_9": "VOOR"}
VAT_LEDGER_CATEGORIES = frozenset({"AF19", "AF6", "AFOVERIG", "VOOR"})


@dataclass(frozen=True)
class EbLedger:
    id: int
    code: str
    description: str
    category: str
    group: str

    def as_json(self) -> dict:
        return {"id": self.id, "code": self.code, "description": self.description,
                "category": self.category, "group": self.group}


class EbChart:
    """Ledgers, cost centres and relations of one administration, with their e-Boekhouden ids."""

    def __init__(self, ledger: Ledger):
        if ledger.chart.country != "NL":
            raise ValueError("the e-Boekhouden sandbox maps Dutch charts only")
        rows = [(a.code, a.name, _CATEGORY_BY_ROLE.get(a.category) or
                 ("BAL" if a.balance_type == "B" else "VW")) for a in ledger.accounts]
        taken = {code for code, *_ in rows}
        rows += [row for row in _SYSTEM_LEDGERS if row[0] not in taken]
        self.ledgers = tuple(EbLedger(LEDGER_ID_BASE + index, code, name, category,
                                      _GROUPS.get(code[0], "Overige rekeningen"))
                             for index, (code, name, category) in enumerate(sorted(rows), start=1))
        self._by_code = {ledger_.code: ledger_ for ledger_ in self.ledgers}
        self._by_category: dict[str, EbLedger] = {}
        for ledger_ in self.ledgers:  # the lowest code of a category is where VAT goes
            self._by_category.setdefault(ledger_.category, ledger_)
        self.cost_centre_ids = {c.code: COST_CENTRE_ID_BASE + index
                                for index, c in enumerate(ledger.cost_centres, start=1)}
        self.relation_ids = {r.code: RELATION_ID_BASE + index
                             for index, r in enumerate(ledger.relations, start=1)}
        self._vat = ledger.chart

    def by_code(self, code: str) -> EbLedger:
        return self._by_code[code]

    def category_of(self, code: str) -> str:
        return self._by_code[code].category

    def vat_code(self, sandbox_code: str | None) -> str:
        if not sandbox_code:
            return NO_VAT
        vat = self._vat.vat_by_code(sandbox_code)
        return VAT_CODES[(vat.direction, vat.level)]

    def vat_ledger(self, eb_vat_code: str) -> EbLedger:
        """The ledger e-Boekhouden books a VAT code's VAT on."""
        return self._by_category[VAT_CATEGORIES[eb_vat_code]]

    def gl_account(self, code: str, sandbox_vat_code: str | None) -> str:
        """The e-Boekhouden ledger code of a sandbox line: VAT lines move to their code's ledger."""
        if sandbox_vat_code and self.category_of(code) in VAT_LEDGER_CATEGORIES:
            eb_code = self.vat_code(sandbox_vat_code)
            if eb_code in VAT_CATEGORIES:
                return self.vat_ledger(eb_code).code
        return code
