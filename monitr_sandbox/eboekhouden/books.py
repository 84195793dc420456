"""One administration's books as e-Boekhouden serves them, built from a deterministic sandbox ledger.

Mutation ids are e-Boekhouden's mutation numbers: issued in booking order from 1, never reused, so a
restarted emulator replayed to day k serves the same ids. e-Boekhouden keeps one continuous ledger:
balances roll into the next year by themselves, so only the administration's opening balance
(mutation 0) is served; the sandbox's later year-start opening entries have no e-Boekhouden mutation.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from monitr_sandbox.eboekhouden.chart import EbChart
from monitr_sandbox.eboekhouden.mutations import (
    OPENING_BALANCE,
    OPENING_MUTATION_ID,
    list_item,
    mutation_detail,
    opening_balance,
    shape_of,
)
from monitr_sandbox.ledger import (
    AdministrationProfile,
    DayChanges,
    Entry,
    Line,
    add_entry,
    apply_day,
    change_line,
    delete_entry,
    generate_ledger,
)


class AdministrationBooks:
    def __init__(self, profile: AdministrationProfile):
        self.ledger = generate_ledger(profile)
        self.chart = EbChart(self.ledger)
        first_year = profile.fiscal_years[0]
        self.opening: Entry | None = next(
            (e for e in self.ledger.entries.values()
             if e.entry_type == "opening" and e.fiscal_year == first_year), None)
        self._ids: dict[int, int] = {}  # sandbox entry number -> mutation id
        self._next_id = 1
        self._version = 0
        self._cache: dict[str, tuple[int, object]] = {}
        self._number()

    def _number(self) -> None:
        for entry in self.ledger.entries.values():
            if entry.entry_type != "opening" and entry.entry_number not in self._ids:
                self._ids[entry.entry_number] = self._next_id
                self._next_id += 1
        self._version += 1

    def apply_day(self, day: int) -> DayChanges:
        changes = apply_day(self.ledger, day)
        self._number()
        return changes

    # --- a bookkeeper's edits in the UI (test controls); ids as e-Boekhouden issues them -------------
    def add_entry(self, **booking) -> Entry:
        """Book an entry (the sandbox ledger's add_entry arguments); it gets the next mutation id."""
        entry = add_entry(self.ledger, **booking)
        self._number()
        return entry

    def change_row(self, mutation_id: int, row_number: int, **fields) -> Line:
        """Edit row `row_number` (from 1, as GET /v1/mutation/{id} lists them) of a mutation:
        description, cost_centre, account_code, ... (amounts stay: the entry must balance)."""
        line = shape_of(self.chart, self.entry(mutation_id)).rows[row_number - 1]
        change_line(self.ledger, line.id, **fields)
        self._number()
        return line

    def delete_mutation(self, mutation_id: int) -> Entry:
        entry = delete_entry(self.ledger, self.entry(mutation_id).entry_number)
        self._number()
        return entry

    def entry(self, mutation_id: int) -> Entry:
        """The sandbox entry a mutation serves."""
        number = next((n for n, m in self._ids.items() if m == mutation_id
                       and self.ledger.has_entry(n)), None)
        if number is None:
            raise KeyError(f"no mutation {mutation_id} in the e-Boekhouden sandbox")
        return self.ledger.entries[number]

    def mutation_id(self, entry_number: int) -> int | None:
        """The mutation number of a sandbox entry (0 for the opening balance, None if not served)."""
        if self.opening is not None and entry_number == self.opening.entry_number:
            return OPENING_MUTATION_ID
        return self._ids.get(entry_number) if self.ledger.has_entry(entry_number) else None

    def _cached(self, name: str, build):
        hit = self._cache.get(name)
        if hit is None or hit[0] != self._version:
            hit = self._cache[name] = (self._version, build())
        return hit[1]

    # --- what the API serves --------------------------------------------------------------------
    def details(self) -> dict[int, dict]:
        """Every mutation's detail by id, the opening balance (0) included."""
        def build() -> dict[int, dict]:
            found = {self._ids[e.entry_number]: mutation_detail(self.chart, e, self._ids[e.entry_number])
                     for e in self.ledger.entries.values() if e.entry_number in self._ids}
            if self.opening is not None:
                found[OPENING_MUTATION_ID] = self._opening_detail()
            return dict(sorted(found.items()))

        return self._cached("details", build)

    def _opening_detail(self) -> dict:
        items = opening_balance(self.chart, self.opening)
        return {"id": OPENING_MUTATION_ID, "type": OPENING_BALANCE, "date": items[0]["date"],
                "description": self.opening.description, "termOfPayment": 0, "ledgerId": 0,
                "relationId": 0, "inExVat": "EX", "invoiceNumber": "", "entryNumber": "",
                "rows": [{"ledgerId": i["ledgerId"], "vatCode": "GEEN", "vatAmount": 0.0,
                          "costCenterId": 0, "amount": i["amount"], "description": "",
                          "invoiceNumber": "", "relationId": 0} for i in items],
                "vat": []}

    def list_items(self) -> list[dict]:
        """GET /v1/mutation, by id: the opening balance shows one item per ledger (all id 0)."""
        def build() -> list[dict]:
            items = opening_balance(self.chart, self.opening) if self.opening is not None else []
            return items + [list_item(d) for i, d in self.details().items() if i != OPENING_MUTATION_ID]

        return self._cached("list", build)

    def outstanding(self, cred_deb: str) -> list[dict]:
        """GET /v1/mutation/invoice/outstanding: D = debtors (receivables), C = creditors."""
        kind = "receivable" if cred_deb == "D" else "payable"
        items = []
        for item in self.ledger.open_items:
            if item.kind != kind:
                continue
            entry, line = self.ledger.find_line(item.id)
            total = line.amount if kind == "receivable" else -line.amount
            items.append({
                "date": item.invoice_date.isoformat(),
                "mutationId": self.mutation_id(entry.entry_number),
                "invoiceNumber": str(item.invoice_number),
                "relationId": self.chart.relation_ids[item.relation.code],
                "relationCode": item.relation.code, "company": item.relation.name,
                "totalAmount": float(total), "paidAmount": float(total - item.amount),
                "outstandingAmount": float(item.amount),
            })
        return items

    def ledgers(self) -> list[dict]:
        return [ledger.as_json() for ledger in self.chart.ledgers]

    def cost_centres(self) -> list[dict]:
        # Flat: the sandbox's cost centres have no parents (parentId 0 = top level).
        return [{"id": self.chart.cost_centre_ids[c.code], "description": c.name, "parentId": 0,
                 "active": True} for c in self.ledger.cost_centres]

    def relations(self) -> list[dict]:
        return [{"id": self.chart.relation_ids[r.code], "type": "B", "code": r.code}
                for r in self.ledger.relations]

    # --- test oracle ------------------------------------------------------------------------------
    def gl_totals(self) -> dict[tuple[int, str], Decimal]:
        """Debit-positive totals per (mutation id, ledger code) straight from the sandbox ledger,
        with VAT lines on their VAT code's ledger: what a correct import must show."""
        totals: dict[tuple[int, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
        for entry, line in self.ledger.lines():
            mutation = self.mutation_id(entry.entry_number)
            if mutation is not None:
                account = self.chart.gl_account(line.account_code, line.vat_code)
                totals[(mutation, account)] += line.amount
        return {key: amount for key, amount in totals.items() if amount}
