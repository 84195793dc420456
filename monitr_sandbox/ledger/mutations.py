"""Changes after the base ledger: deterministic bookkeeping days for incremental imports, and
the add/change/delete primitives they (and tests) use."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from monitr_sandbox.ledger import documents
from monitr_sandbox.ledger.booking import Posting, book
from monitr_sandbox.ledger.model import DayChanges, Entry, Ledger, Line, Relation

# Fields a correction may touch. Amounts are excluded: changing one would unbalance the entry.
CHANGEABLE_FIELDS = frozenset({"description", "cost_centre", "cost_unit", "project_code",
                               "vat_code", "account_code", "asset_code"})
_POSTING_FIELDS = frozenset(f.name for f in fields(Posting))


def _posting(spec: Posting | Mapping | tuple) -> Posting:
    if isinstance(spec, Posting):
        return spec
    if isinstance(spec, Mapping):
        unknown = set(spec) - _POSTING_FIELDS
        if unknown:
            raise ValueError(f"unknown line fields: {sorted(unknown)}")
        return Posting(**{**spec, "amount": Decimal(str(spec["amount"]))})
    account_code, amount, *rest = spec
    return Posting(account_code, Decimal(str(amount)), *rest)


def add_entry(ledger: Ledger, *, on: date, lines: Iterable[Posting | Mapping | tuple],
              description: str = "", entry_type: str = "general", journal_code: str | None = None,
              relation: Relation | str | None = None) -> Entry:
    """Book an entry from (account_code, amount) tuples, dicts of Posting fields or Postings."""
    if isinstance(relation, str):
        relation = ledger.relation(relation)
    return book(ledger, entry_type=entry_type, on=on, description=description or "Memoriaalboeking",
                postings=[_posting(spec) for spec in lines], journal_code=journal_code,
                relation=relation)


def change_line(ledger: Ledger, line_id: UUID | str, **changes) -> Line:
    unknown = set(changes) - CHANGEABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}; changeable: {sorted(CHANGEABLE_FIELDS)}")
    _, line = ledger.find_line(UUID(str(line_id)))
    # Resolve references first so a bad code leaves the line untouched.
    lookups = {"cost_centre": ledger.cost_centre, "cost_unit": ledger.cost_unit,
               "project_code": ledger.project, "asset_code": ledger.fixed_asset,
               "vat_code": ledger.chart.vat_by_code, "account_code": ledger.chart.by_code.__getitem__}
    for name, value in changes.items():
        if value is not None and name in lookups:
            try:
                lookups[name](value)
            except (KeyError, StopIteration):
                raise ValueError(f"unknown {name} {value!r}") from None
    for name, value in changes.items():
        setattr(line, name, value)
    return line


def delete_entry(ledger: Ledger, entry_number: int) -> Entry:
    return ledger.remove(entry_number)


def apply_day(ledger: Ledger, day: int) -> DayChanges:
    """Bookkeeping day `day` after the last booking date: a new sales invoice, a receipt for the
    oldest open receivable, a correction of one sales line and the deletion of one memorial entry.

    Days must be applied in order (the ledger they start from is part of what makes them
    deterministic). Deletions and corrections stay in the last fiscal year and avoid entries that
    carry open items, so earlier years' closing positions and the open-item totals stay consistent.
    """
    if day != ledger.day + 1:
        raise ValueError(f"day {day} cannot follow day {ledger.day}; apply days in order")
    rng = random.Random(f"{ledger.profile.seed}:day:{day}")
    on = ledger.profile.last_booking_date + timedelta(days=day)
    last_year = ledger.profile.fiscal_years[-1]
    current = [e for e in ledger.entries.values() if e.fiscal_year == last_year and e.date <= on]

    customers = [r for r in ledger.relations if r.kind == "customer"]
    added = [documents.sales_invoice(ledger, rng, on, rng.choice(customers))]
    receivables = [item for item in ledger.open_items if item.kind == "receivable"]
    if receivables:
        oldest = receivables[0]
        _, opening_line = ledger.find_line(oldest.id)
        added.append(documents.settlement(ledger, on, opening_line.open_item, oldest.amount))

    sales_lines = [line for entry in current if entry.entry_type == "sales"
                   for line in entry.lines if line.cost_centre]
    changed = []
    if sales_lines:
        line = rng.choice(sales_lines)
        others = [c.code for c in ledger.cost_centres if c.code != line.cost_centre]
        change_line(ledger, line.id, cost_centre=rng.choice(others),
                    description=f"{line.description} (gecorrigeerd dag {day})")
        changed.append(line.id)

    memorials = [e for e in current if e.entry_type == "general"]
    deleted = [delete_entry(ledger, rng.choice(memorials).entry_number)] if memorials else []

    ledger.day = day
    return DayChanges(
        day=day, added_entries=tuple(e.entry_number for e in added), changed_lines=tuple(changed),
        deleted_entries=tuple(e.entry_number for e in deleted),
        deleted_lines=tuple(line.id for e in deleted for line in e.lines),
    )
