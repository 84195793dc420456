"""Open items (unpaid invoices) derived from the control-account lines of a ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from monitr_sandbox.ledger.model import Entry, Ledger, Line, OpenItem

ZERO = Decimal("0.00")


def open_items(ledger: Ledger, as_of: date | None = None) -> list[OpenItem]:
    """Every invoice whose control-account lines do not net to zero, as of a date (default: all).

    Only lines carrying an OpenItemRef count: later years' opening entries carry the control
    balances forward without refs, so nothing is counted twice.
    """
    kinds = {
        ledger.chart.account("receivables").code: "receivable",
        ledger.chart.account("payables").code: "payable",
    }
    totals: dict[tuple[str, str, int], Decimal] = {}
    origins: dict[tuple[str, str, int], tuple[Entry, Line]] = {}
    for entry, line in ledger.lines():
        kind = kinds.get(line.account_code)
        if kind is None or line.open_item is None or (as_of and entry.date > as_of):
            continue
        key = (kind, line.open_item.relation.code, line.open_item.invoice_number)
        totals[key] = totals.get(key, ZERO) + line.amount
        # Booking order puts the invoice (or the opening line) before anything settling it.
        origins.setdefault(key, (entry, line))
    items = []
    for key, total in totals.items():
        if total == 0:
            continue
        kind = key[0]
        entry, line = origins[key]
        ref = line.open_item
        items.append(OpenItem(
            kind=kind, id=line.id, relation=ref.relation, invoice_number=ref.invoice_number,
            invoice_date=ref.invoice_date, due_date=ref.due_date, entry_number=entry.entry_number,
            journal_code=entry.journal_code, description=line.description,
            # Receivables are debit balances, payables credit ones: both shown as positive amounts.
            amount=total if kind == "receivable" else -total,
            currency=ledger.profile.currency, your_ref=entry.your_ref,
        ))
    return sorted(items, key=lambda i: (i.kind, i.invoice_date, i.invoice_number, i.relation.code))
