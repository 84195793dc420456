"""One office's books as Twinfield keeps them: final transactions over the ledger, never deleted.

Twinfield does not delete or edit a final transaction: a correction is a reversing transaction
plus a corrected one, and a removal is a reversing transaction (API_FACTS.md section 5: "deletions
not signalled (transactions are reversed, not deleted, once final)"). Both are booked in the
period of the transaction they reverse (an open period: the sandbox's mutation days touch only the
last fiscal year), so a client that reads only new periods misses them; `modified` says when.

Transaction numbers: a ledger entry keeps its number; its reversals and corrections take
`entry_number * 100 + n` in the same daybook, which no ledger entry ever uses.
Opening balances are booked in period 0 (`YYYY/00`), as Twinfield does.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from monitr_sandbox.ledger import Entry, Ledger, Line, add_entry, apply_day, change_line, delete_entry
from monitr_sandbox.ledger import generate_ledger
from monitr_sandbox.twinfield.organisations import Office

ZERO = Decimal("0.00")
DAYBOOKS = {"sales": "VRK", "purchase": "INK", "bank": "BNK", "general": "MEMO",
            "opening": "BEGINBALANS"}
_DIM_TYPES = {"customer": "DEB", "supplier": "CRD"}


@dataclass
class Transaction:
    code: str  # the daybook
    number: int
    entry: Entry  # the ledger entry it books or reverses (as it was then)
    period: int
    lines: list[dict[str, Any]]  # frozen line fields (fin.trs.line.*), with "_line_id"
    inpdate: datetime
    modified: datetime
    reversal: bool = False
    live: bool = True  # the current booking of its ledger entry (not reversed, not a reversal)
    relation: Any = None

    @property
    def yearperiod(self) -> str:
        return f"{self.entry.date.year}/{self.period:02d}"


@dataclass
class OfficeBooks:
    office: Office
    ledger: Ledger = field(init=False)
    transactions: list[Transaction] = field(default_factory=list)
    _live: dict[int, Transaction] = field(default_factory=dict)  # ledger entry -> its booking
    _corrections: dict[int, itertools.count] = field(default_factory=dict)
    version: int = 0

    def __post_init__(self) -> None:
        self.ledger = generate_ledger(self.office.profile)
        self._ticks = itertools.count()
        for entry in self.ledger.entries.values():
            when = datetime.combine(entry.date, time(17, 0))
            self._book(entry, entry.entry_number, when, when)

    # --- booking ---------------------------------------------------------------------------------
    def daybook(self, entry: Entry) -> str:
        journal = next(j for j in self.ledger.journals if j.code == entry.journal_code)
        return DAYBOOKS.get(journal.type, "MEMO")

    def _line_fields(self, entry: Entry, line: Line, sign: int = 1) -> dict[str, Any]:
        chart = self.ledger.chart
        account = chart.by_code[line.account_code]
        ref = line.open_item
        if ref is not None:
            dim2, dim2type, dim2name = ref.relation.code, _DIM_TYPES[ref.relation.kind], ref.relation.name
        elif line.cost_centre:
            centre = self.ledger.cost_centre(line.cost_centre)
            dim2, dim2type, dim2name = centre.code, "KPL", centre.name
        else:
            dim2 = dim2type = dim2name = None
        if line.project_code:
            dim3, dim3type, dim3name = line.project_code, "PRJ", self.ledger.project(line.project_code).name
        elif line.asset_code:
            asset = self.ledger.fixed_asset(line.asset_code)
            dim3, dim3type, dim3name = asset.code, "AST", asset.description
        else:
            dim3 = dim3type = dim3name = None
        amount = line.amount * sign
        vat_base = line.vat_amount * sign if line.vat_amount is not None else None
        return {
            "_line_id": line.id,
            "fin.trs.line.dim1": account.code, "fin.trs.line.dim1name": account.name,
            "fin.trs.line.dim1type": "BAS" if account.balance_type == "B" else "PNL",
            "fin.trs.line.dim2": dim2, "fin.trs.line.dim2type": dim2type, "fin.trs.line.dim2name": dim2name,
            "fin.trs.line.dim3": dim3, "fin.trs.line.dim3type": dim3type, "fin.trs.line.dim3name": dim3name,
            "fin.trs.line.valuesigned": amount, "fin.trs.line.basevaluesigned": amount,
            "fin.trs.line.repvaluesigned": amount,
            "fin.trs.line.debitcredit": "debit" if amount >= 0 else "credit",
            "fin.trs.line.vatcode": line.vat_code, "fin.trs.line.vatbasevaluesigned": vat_base,
            "fin.trs.line.description": line.description,
            "fin.trs.line.invnumber": str(ref.invoice_number if ref else entry.invoice_number or "") or None,
            "fin.trs.line.datedue": ref.due_date if ref else entry.due_date,
        }

    def _book(self, entry: Entry, number: int, inpdate: datetime, modified: datetime,
              *, reversal_of: Transaction | None = None) -> Transaction:
        if reversal_of is None:
            lines = [self._line_fields(entry, line) for line in entry.lines]
        else:
            lines = [{**fields, "fin.trs.line.valuesigned": -fields["fin.trs.line.valuesigned"],
                      "fin.trs.line.basevaluesigned": -fields["fin.trs.line.basevaluesigned"],
                      "fin.trs.line.repvaluesigned": -fields["fin.trs.line.repvaluesigned"],
                      "fin.trs.line.vatbasevaluesigned": (None if fields["fin.trs.line.vatbasevaluesigned"] is None
                                                          else -fields["fin.trs.line.vatbasevaluesigned"]),
                      "fin.trs.line.debitcredit": "credit" if fields["fin.trs.line.debitcredit"] == "debit" else "debit",
                      "fin.trs.line.description": f"Terugboeking: {fields['fin.trs.line.description']}"}
                     for fields in reversal_of.lines]
        period = 0 if entry.entry_type == "opening" else entry.date.month
        transaction = Transaction(self.daybook(entry), number, entry, period, lines, inpdate, modified,
                                  reversal=reversal_of is not None, live=reversal_of is None,
                                  relation=entry.relation)
        self.transactions.append(transaction)
        if reversal_of is None:
            self._live[entry.entry_number] = transaction
        self.version += 1
        return transaction

    def _next_number(self, entry_number: int) -> int:
        counter = self._corrections.setdefault(entry_number, itertools.count(1))
        return entry_number * 100 + next(counter)

    def _reverse(self, entry_number: int, when: datetime) -> None:
        original = self._live.pop(entry_number)
        original.live = False
        self._book(original.entry, self._next_number(entry_number), when, when, reversal_of=original)

    def _rebook(self, entry_number: int, when: datetime) -> None:
        self._reverse(entry_number, when)
        self._book(self.ledger.entry(entry_number), self._next_number(entry_number), when, when)

    def _moment(self, hour: int) -> datetime:
        today = self.ledger.profile.last_booking_date + timedelta(days=self.ledger.day)
        return datetime.combine(today, time(hour)) + timedelta(seconds=next(self._ticks))

    # --- changes ---------------------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        changes = apply_day(self.ledger, day)
        self._ticks = itertools.count()
        for number in changes.added_entries:
            when = self._moment(17)
            self._book(self.ledger.entry(number), number, when, when)
        for number in self._entries_of(changes.changed_lines):
            self._rebook(number, self._moment(17))
        for number in changes.deleted_entries:
            self._reverse(number, self._moment(17))

    def add_entry(self, **kwargs: Any) -> Transaction:
        entry = add_entry(self.ledger, **kwargs)
        when = self._moment(18)
        return self._book(entry, entry.entry_number, when, when)

    def change_line(self, line_id: UUID | str, **fields: Any) -> Line:
        line = change_line(self.ledger, line_id, **fields)
        self._rebook(self._entries_of([line.id])[0], self._moment(18))
        return line

    def delete_entry(self, entry_number: int) -> Entry:
        """What a user's "delete" of a final transaction is at Twinfield: a reversal."""
        entry = delete_entry(self.ledger, entry_number)
        self._reverse(entry_number, self._moment(18))
        return entry

    def _entries_of(self, line_ids: Iterable[UUID]) -> list[int]:
        wanted = set(line_ids)
        return [entry.entry_number for entry in self.ledger.entries.values()
                if any(line.id in wanted for line in entry.lines)]

    # --- rows ------------------------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        """Every transaction line as browse 030_3 fields, with the open-item fields of now."""
        matching = self._matching()
        office, rows = self.office, []
        for transaction in self.transactions:
            entry = transaction.entry
            relation = transaction.relation
            for number, fields in enumerate(transaction.lines, start=1):
                status, open_amount, match_date = matching.get(
                    (transaction.code, transaction.number, number), ("notmatchable", ZERO, None))
                row = {
                    "fin.trs.head.office": office.code, "fin.trs.head.officename": office.name,
                    "fin.trs.head.year": entry.date.year, "fin.trs.head.period": transaction.period,
                    "fin.trs.head.yearperiod": transaction.yearperiod,
                    "fin.trs.head.code": transaction.code, "fin.trs.head.number": transaction.number,
                    "fin.trs.head.status": "final", "fin.trs.head.date": entry.date,
                    "fin.trs.head.curcode": self.ledger.profile.currency,
                    "fin.trs.head.relation": relation.code if relation else None,
                    "fin.trs.head.relationname": relation.name if relation else None,
                    "fin.trs.head.inpdate": transaction.inpdate,
                    "fin.trs.head.modified": transaction.modified,
                    "fin.trs.head.username": "MONITR", "fin.trs.head.origin": "import",
                    "fin.trs.line.line": number,
                    **{k: v for k, v in fields.items() if not k.startswith("_")},
                    "fin.trs.line.matchstatus": status,
                    "fin.trs.line.openbasevaluesigned": open_amount,
                    "fin.trs.line.openvaluesigned": open_amount,
                    "fin.trs.line.matchdate": match_date,
                }
                rows.append(row)
        return rows

    def _matching(self) -> Mapping[tuple[str, int, int], tuple[str, Decimal, date | None]]:
        """Match status per (daybook, number, line) of customer and supplier lines: an invoice's
        first line carries what is still open; settled lines, reversals and what they reversed
        are matched."""
        result: dict[tuple[str, int, int], tuple[str, Decimal, date | None]] = {}
        groups: dict[tuple[str, int], list[tuple[tuple[str, int, int], Decimal, date]]] = {}
        for transaction in self.transactions:
            for number, fields in enumerate(transaction.lines, start=1):
                if fields["fin.trs.line.dim2type"] not in ("DEB", "CRD"):
                    continue
                key = (transaction.code, transaction.number, number)
                if not transaction.live:
                    result[key] = ("matched", ZERO, transaction.modified.date())
                    continue
                _, line = self.ledger.find_line(fields["_line_id"])
                ref = line.open_item
                group = groups.setdefault((ref.relation.code, ref.invoice_number), [])
                group.append((key, line.amount, transaction.entry.date))
        for group in groups.values():
            group.sort(key=lambda item: (item[2], item[0]))  # the invoice (or opening item) first
            total = sum((amount for _, amount, _ in group), ZERO)
            last = max(day for _, _, day in group)
            for index, (key, _, _) in enumerate(group):
                if total != 0 and index == 0:
                    result[key] = ("available", total, None)
                else:
                    result[key] = ("matched", ZERO, last)
        # Reversed transactions' lines were booked live once; their groups skip them above.
        for transaction in self.transactions:
            if transaction.reversal:
                for number, fields in enumerate(transaction.lines, start=1):
                    if fields["fin.trs.line.dim2type"] in ("DEB", "CRD"):
                        result[(transaction.code, transaction.number, number)] = (
                            "matched", ZERO, transaction.modified.date())
        return result

    # --- master data -----------------------------------------------------------------------------
    def dimensions(self, dimtype: str) -> list[tuple[str, str]]:
        ledger = self.ledger
        if dimtype in ("BAS", "PNL"):
            wanted = "B" if dimtype == "BAS" else "W"
            return [(a.code, a.name) for a in ledger.accounts if a.balance_type == wanted]
        if dimtype in ("DEB", "CRD"):
            kind = "customer" if dimtype == "DEB" else "supplier"
            return [(r.code, r.name) for r in ledger.relations if r.kind == kind]
        if dimtype == "KPL":
            return [(c.code, c.name) for c in ledger.cost_centres]
        if dimtype == "PRJ":
            return [(p.code, p.name) for p in ledger.projects]
        if dimtype == "AST":
            return [(a.code, a.description) for a in ledger.fixed_assets]
        raise KeyError(dimtype)

    def periods(self) -> list[dict[str, Any]]:
        """Periods per fiscal year, 0 (opening balance) to 12; earlier years are closed."""
        last_year = self.ledger.fiscal_years[-1]
        rows = []
        for year in self.ledger.fiscal_years:
            rows.append({"year": year, "period": 0, "name": f"Beginbalans {year}",
                         "start": date(year, 1, 1), "end": date(year, 1, 1),
                         "open": year == last_year})
            for period in self.ledger.periods:
                if period.year == year:
                    rows.append({"year": year, "period": period.period,
                                 "name": f"{period.start:%m-%Y}", "start": period.start,
                                 "end": period.end, "open": year == last_year})
        return rows
