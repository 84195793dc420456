"""One administration's books as Minox answers for them: ledger accounts, journals, cost centres
and cost types, fiscal years, transaction lines per fiscal year, and open receivables/payables.

Minox keeps the books themselves (no journal log): a correction changes a line in place and a
deleted booking is gone, so a fiscal year read again is the only way to see either. Each year is
opened with its own beginbalans entry (journal type opening, period 0).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from monitr_sandbox.ledger import Entry, Ledger, Line, apply_day, generate_ledger
from monitr_sandbox.minox.tenants import Administration

ZERO = Decimal("0.00")
_ACCOUNT_TYPE = {"B": "balance", "W": "profit_loss"}
_SUGGESTION = {"D": "debet", "C": "credit"}


def _money(value: Decimal) -> float:
    # Minox writes amounts as JSON numbers (the transaction line batch examples: 1289172.12).
    return float(value)


class AdministrationBooks:
    def __init__(self, administration: Administration):
        self.administration = administration
        self.ledger: Ledger = generate_ledger(administration.profile)
        # Cost types are numbered in Minox; the ledger's cost units have codes (KD01, ...).
        self._cost_type_ids = {unit.code: number
                               for number, unit in enumerate(self.ledger.cost_units, start=1)}
        self._vat_ids = {vat.code: number
                         for number, vat in enumerate(self.ledger.chart.vat_codes, start=1)}

    def apply_day(self, day: int) -> None:
        apply_day(self.ledger, day)

    # --- master data ---------------------------------------------------------------------------
    def ledger_accounts(self) -> list[dict[str, Any]]:
        return [{"id": int(account.code), "description": account.name,
                 "type": _ACCOUNT_TYPE[account.balance_type],
                 "debit_credit_suggestion": _SUGGESTION[account.balance_side],
                 "blocked": {"active": False, "reason": None}}
                for account in self.ledger.accounts]

    def journals(self) -> list[dict[str, Any]]:
        return [{"id": journal.code, "description": journal.name, "type": journal.type}
                for journal in self.ledger.journals]

    def cost_centers(self) -> list[dict[str, Any]]:
        return [{"id": int(centre.code), "description": centre.name}
                for centre in self.ledger.cost_centres]

    def cost_types(self) -> list[dict[str, Any]]:
        return [{"id": self._cost_type_ids[unit.code], "description": unit.name}
                for unit in self.ledger.cost_units]

    def years(self) -> list[dict[str, Any]]:
        """The fiscal years (boekjaren) with their periods; every year but the last is closed."""
        last = self.ledger.fiscal_years[-1]
        return [{"year": year, "start_date": date(year, 1, 1).isoformat(),
                 "end_date": date(year, 12, 31).isoformat(), "closed": year < last,
                 "periods": [{"id": p.period, "start_date": p.start.isoformat(),
                              "end_date": p.end.isoformat()}
                             for p in self.ledger.periods if p.year == year]}
                for year in self.ledger.fiscal_years]

    def has_year(self, year: int) -> bool:
        return year in self.ledger.fiscal_years

    # --- transaction lines -----------------------------------------------------------------------
    def transaction_lines(self, year: int) -> list[dict[str, Any]]:
        return [self._line(entry, line) for entry in self.ledger.entries.values()
                if entry.fiscal_year == year for line in entry.lines]

    def _line(self, entry: Entry, line: Line) -> dict[str, Any]:
        account = self.ledger.chart.by_code[line.account_code]
        relation = line.open_item.relation if line.open_item else entry.relation
        opening = entry.entry_type == "opening"
        due = line.open_item.due_date if line.open_item else entry.due_date
        return {
            "id": str(line.id), "batch_id": str(entry.id), "line_number": line.line_number,
            "entry_number": entry.entry_number,
            "journal": {"id": entry.journal_code,
                        "description": self._journal_name(entry.journal_code)},
            "document_date": entry.date.isoformat(),
            "period": {"id": 0 if opening else entry.date.month, "fiscal_year": entry.fiscal_year},
            "account": {"id": str(int(account.code)), "scheme": "MINOX", "type": "ledger_account",
                        "description": account.name},
            "relation": ({"id": int(relation.code), "type": relation.kind, "name": relation.name}
                         if relation else None),
            "debit": _money(line.amount) if line.amount > 0 else 0,
            "credit": _money(-line.amount) if line.amount < 0 else 0,
            "description": line.description or entry.description,
            "invoice_number": line.open_item.invoice_number if line.open_item
            else entry.invoice_number,
            "due_date": due.isoformat() if due else None,
            "cost_center": ({"id": int(line.cost_centre),
                             "description": self.ledger.cost_centre(line.cost_centre).name}
                            if line.cost_centre else None),
            "cost_type": ({"id": self._cost_type_ids[line.cost_unit],
                           "description": self.ledger.cost_unit(line.cost_unit).name}
                          if line.cost_unit else None),
            "vat": ({"id": self._vat_ids[line.vat_code], "amount": _money(line.vat_amount or ZERO)}
                    if line.vat_code else None),
            "currency": {"id": self.ledger.profile.currency},
        }

    def _journal_name(self, code: str) -> str:
        return next(j.name for j in self.ledger.journals if j.code == code)

    # --- receivables and payables (as of today only) ----------------------------------------------
    def open_items(self, kind: str) -> list[dict[str, Any]]:
        """What is outstanding now. Minox cannot say what was outstanding on an earlier date: an
        item paid since is simply gone (Apideck's Minox gotchas)."""
        control = self.ledger.chart.account("receivables" if kind == "receivable" else "payables")
        today = self.ledger.profile.last_booking_date
        rows = []
        for item in self.ledger.open_items:
            if item.kind != kind:
                continue
            total = self._invoice_total(item.id)
            rows.append({
                "id": str(item.id), "type": kind, "account_id": int(item.relation.code),
                "account_name": item.relation.name,
                "account": {"id": str(int(control.code)), "scheme": "MINOX",
                            "type": "ledger_account", "description": control.name},
                "invoice_number": item.invoice_number,
                "invoice_date": f"{item.invoice_date.isoformat()}T00:00:00.000Z",
                "due_date": f"{item.due_date.isoformat()}T00:00:00.000Z",
                "total": _money(total), "paid": _money(total - item.amount),
                "balance": _money(item.amount), "blocked": 0, "memo": item.description,
                "currency": {"id": item.currency, "exchange_rate": 1, "description": "Euro"},
                "age": (today - item.due_date).days, "journal": {"id": item.journal_code},
                "entry_number": item.entry_number,
            })
        return rows

    def _invoice_total(self, line_id) -> Decimal:
        _, line = self.ledger.find_line(line_id)
        return abs(line.amount)
