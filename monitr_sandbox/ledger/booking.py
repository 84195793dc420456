"""Booking balanced entries into a ledger: the one place entry numbers and line ids are issued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from monitr_sandbox.ledger.ids import entry_id, line_id
from monitr_sandbox.ledger.model import ENTRY_TYPES, Entry, Ledger, Line, OpenItemRef, Relation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

JOURNAL_TYPE = {
    "opening": "opening",
    "sales": "sales",
    "sales_credit": "sales",
    "purchase": "purchase",
    "bank": "bank",
    "depreciation": "general",
    "general": "general",
}


class UnbalancedEntry(ValueError):
    """An entry whose lines do not sum to zero; it is never booked."""


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Posting:
    """A line before it is booked: no number or id yet."""

    account_code: str
    amount: Decimal
    description: str = ""
    vat_code: str | None = None
    vat_amount: Decimal | None = None
    cost_centre: str | None = None
    cost_unit: str | None = None
    project_code: str | None = None
    asset_code: str | None = None
    open_item: OpenItemRef | None = None
    # Set on an invoice's control-account line: it opens an item under the entry's own number,
    # which is only known once the entry is numbered.
    opens_item: bool = False


# A busy journal (the bank's, at 1,000 invoices a month) books over 9,999 entries a year; its
# sequence then takes a fifth digit (257010000). Numbers stay unique as the sandbox charts' journal
# codes all have two digits, and stay within Exact's Int32 EntryNumber.
MAX_SEQUENCE = 99_999


def next_entry_number(ledger: Ledger, journal_code: str, year: int) -> int:
    """Exact-style numbers: two-digit year, journal code, four-digit sequence (25700001); five
    digits from a journal's 10,000th entry of the year."""
    sequence = ledger.sequences.get((journal_code, year), 0) + 1
    if sequence > MAX_SEQUENCE:
        raise OverflowError(f"journal {journal_code} ran out of entry numbers in {year}")
    ledger.sequences[(journal_code, year)] = sequence
    return int(f"{year % 100:02d}{journal_code}{sequence:04d}")


def _validate(ledger: Ledger, entry_type: str, postings: list[Posting]) -> None:
    if entry_type not in ENTRY_TYPES:
        raise ValueError(f"unknown entry type {entry_type!r}")
    if len(postings) < 2:
        raise UnbalancedEntry("an entry needs at least two lines")
    accounts = ledger.chart.by_code
    for posting in postings:
        if posting.account_code not in accounts:
            raise ValueError(f"no account {posting.account_code} in the {ledger.chart.country} chart")
        if posting.amount != posting.amount.quantize(CENT):
            raise ValueError(f"amount {posting.amount} has more than two decimals")
    total = sum((p.amount for p in postings), ZERO)
    if total != 0:
        raise UnbalancedEntry(f"lines sum to {total}, not 0")


def book(ledger: Ledger, *, entry_type: str, on: date, description: str, postings: list[Posting],
         journal_code: str | None = None, relation: Relation | None = None,
         invoice_number: int | None = None, own_invoice: bool = False, due_date: date | None = None,
         your_ref: str | None = None) -> Entry:
    """Number, identify and add a balanced entry. `own_invoice`: the invoice number is the entry's."""
    _validate(ledger, entry_type, postings)
    journal = journal_code or ledger.chart.journal(JOURNAL_TYPE[entry_type]).code
    number = next_entry_number(ledger, journal, on.year)
    if own_invoice:
        invoice_number = number
    admin = ledger.profile.code
    lines = []
    for line_number, posting in enumerate(postings, start=1):
        ref = posting.open_item
        if posting.opens_item:
            ref = OpenItemRef(relation, number, on, due_date or on)
        lines.append(Line(
            id=line_id(admin, number, line_number), line_number=line_number,
            account_code=posting.account_code, amount=posting.amount,
            description=posting.description or description, vat_code=posting.vat_code,
            vat_amount=posting.vat_amount, cost_centre=posting.cost_centre,
            cost_unit=posting.cost_unit, project_code=posting.project_code,
            asset_code=posting.asset_code, open_item=ref,
        ))
    entry = Entry(
        id=entry_id(admin, number), entry_number=number, journal_code=journal,
        entry_type=entry_type, date=on, description=description, lines=lines, relation=relation,
        invoice_number=invoice_number, due_date=due_date, your_ref=your_ref,
    )
    ledger.add(entry)
    return entry
