"""One tenant's books as Xero keeps them: an append-only journal log over the ledger, and invoices.

Xero never changes or deletes a journal. Posting an entry appends a journal; editing a posted
transaction appends a reversing journal and a new one; voiding or deleting appends a reversal
(API_FACTS.md section 3: "journals are immutable (a reversal is a new journal)"). So the sum of
all journals is always the ledger as it stands, and the journal number is a safe cursor.

Xero has no year-end closing: a new year is not opened with an entry. Of the ledger's opening
entries only the first (the conversion balances) becomes a journal; the later ones are derived
positions that Xero computes in its reports, and booking them would count the balance sheet twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from monitr_sandbox.ledger import Entry, Ledger, apply_day, generate_ledger
from monitr_sandbox.xero.shapes import XeroShapes, posted_at
from monitr_sandbox.xero.tenants import Tenant

ZERO = Decimal("0.00")
_INVOICE_TYPES = ("sales", "purchase")  # Xero's CreditNotes endpoint holds the credit notes


@dataclass(frozen=True)
class InvoiceBalance:
    due: Decimal
    paid: Decimal
    credited: Decimal
    last_touched: datetime  # when the invoice or the last payment/credit on it was posted
    paid_on: date | None


class TenantBooks:
    def __init__(self, tenant: Tenant):
        self.tenant = tenant
        self.ledger: Ledger = generate_ledger(tenant.profile)
        self.shapes = XeroShapes(self.ledger, tenant)
        self.journals: list[dict[str, Any]] = []
        self._posted: dict[int, dict[str, Any]] = {}  # entry number -> its live journal
        self._posted_at: dict[int, datetime] = {}  # entry number -> when that journal was made
        self.voided: dict[int, tuple[Entry, datetime]] = {}
        self._clock = itertools.count()
        first_year = self.ledger.fiscal_years[0]
        for entry in list(self.ledger.entries.values()):
            if entry.entry_type == "opening" and entry.fiscal_year != first_year:
                continue
            self._post(entry, posted_at(entry.date))

    # --- the journal log -------------------------------------------------------------------------
    def _post(self, entry: Entry, when: datetime) -> None:
        journal = self.shapes.journal(len(self.journals) + 1, entry, when,
                                      [self.shapes.journal_line(line) for line in entry.lines])
        self.journals.append(journal)
        self._posted[entry.entry_number] = journal
        self._posted_at[entry.entry_number] = when

    def _reverse(self, entry_number: int, when: datetime) -> None:
        original = self._posted.pop(entry_number)
        self.journals.append(self.shapes.reversal(len(self.journals) + 1, original, when))
        self._posted_at[entry_number] = when

    def _moment(self, hour: int) -> datetime:
        """The next write time of the current sandbox day; each write a second after the last."""
        day = self.ledger.profile.last_booking_date + timedelta(days=self.ledger.day)
        return posted_at(day, hour) + timedelta(seconds=next(self._clock))

    def apply_day(self, day: int) -> None:
        """The ledger's bookkeeping day, as Xero records it: new transactions are posted, edited
        ones reversed and reposted, deleted ones reversed."""
        changes = apply_day(self.ledger, day)
        self._clock = itertools.count()
        for number in changes.added_entries:
            self._post(self.ledger.entry(number), self._moment(17))
        for number in self._entries_of(changes.changed_lines):
            entry = self.ledger.entry(number)
            when = self._moment(17)
            self._reverse(number, when)
            self._post(entry, when)
        for number in changes.deleted_entries:
            self._reverse(number, self._moment(17))

    def _entries_of(self, line_ids: Iterable[UUID]) -> list[int]:
        wanted = set(line_ids)
        return [entry.entry_number for entry in self.ledger.entries.values()
                if any(line.id in wanted for line in entry.lines)]

    def void_invoice(self, invoice_number: int) -> Entry:
        """Void an unpaid, uncredited invoice or bill: status VOIDED and a reversing journal."""
        entry = self.ledger.entry(invoice_number)
        if entry.entry_type not in _INVOICE_TYPES:
            raise ValueError(f"entry {invoice_number} is not an invoice or bill")
        balance = self.balances()[invoice_number]
        if balance.paid or balance.credited:
            raise ValueError(f"invoice {invoice_number} has payments or credits; Xero voids only "
                             "invoices without them")
        when = self._moment(18)
        self.ledger.remove(invoice_number)
        self._reverse(invoice_number, when)
        self.voided[invoice_number] = (entry, when)
        return entry

    # --- invoices ---------------------------------------------------------------------------------
    def balances(self) -> dict[int, InvoiceBalance]:
        """Per invoice entry: what is still due, paid and credited, from the control-account lines."""
        chart = self.ledger.chart
        controls = {chart.account("receivables").code: 1, chart.account("payables").code: -1}
        invoices = {e.entry_number: e for e in self.ledger.entries.values()
                    if e.entry_type in _INVOICE_TYPES}
        by_ref = {(e.relation.code, e.entry_number): e.entry_number for e in invoices.values()}
        moves: dict[int, list[tuple[Entry, Decimal]]] = {number: [] for number in invoices}
        for entry, line in self.ledger.lines():
            sign = controls.get(line.account_code)
            ref = line.open_item
            if sign is None or ref is None:
                continue
            number = by_ref.get((ref.relation.code, ref.invoice_number))
            if number is not None and entry.entry_number != number:
                moves[number].append((entry, -sign * line.amount))  # positive: reduces the due
        result = {}
        for number, invoice in invoices.items():
            total = abs(invoice.lines[0].amount)
            credited = sum((a for e, a in moves[number] if e.entry_type == "sales_credit"), ZERO)
            paid = sum((a for e, a in moves[number] if e.entry_type != "sales_credit"), ZERO)
            touched = [self._posted_at[number], *(self._posted_at[e.entry_number]
                                                  for e, _ in moves[number])]
            due = total - paid - credited
            last_move = max((e.date for e, _ in moves[number]), default=None)
            result[number] = InvoiceBalance(due, paid, credited, max(touched),
                                            last_move if due == 0 else None)
        return result

    def invoices(self, *, with_lines: bool) -> list[tuple[datetime, dict[str, Any]]]:
        """(UpdatedDateUTC, invoice) of every invoice and bill, in the order of their last change."""
        rows = []
        for number, balance in self.balances().items():
            entry = self.ledger.entry(number)
            rows.append((balance.last_touched, self.shapes.invoice(
                entry, status="PAID" if balance.due == 0 else "AUTHORISED", due=balance.due,
                paid=balance.paid, credited=balance.credited, updated=balance.last_touched,
                paid_on=balance.paid_on, with_lines=with_lines)))
        for entry, when in self.voided.values():
            rows.append((when, self.shapes.invoice(entry, status="VOIDED", due=ZERO, paid=ZERO,
                                                   credited=ZERO, updated=when, paid_on=None,
                                                   with_lines=with_lines)))
        return sorted(rows, key=lambda pair: (pair[0], pair[1]["InvoiceID"]))

    # --- other records ------------------------------------------------------------------------------
    @property
    def as_of(self) -> date:
        """The sandbox's today: the last booking date plus the days replayed."""
        return self.ledger.profile.last_booking_date + timedelta(days=self.ledger.day)

    def assets(self) -> list[dict[str, Any]]:
        # Depreciation is run up to the last booking date; mutation days do not book any.
        as_of = self.ledger.profile.last_booking_date
        return [self.shapes.asset(asset, as_of) for asset in self.ledger.fixed_assets
                if asset.purchase_date <= as_of]
