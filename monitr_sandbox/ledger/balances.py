"""Account balances per fiscal year, and the year-end positions an opening entry carries forward."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from monitr_sandbox.ledger.model import Ledger

ZERO = Decimal("0.00")


def balances(ledger: Ledger, year: int, until: date | None = None) -> dict[str, Decimal]:
    """Balance per account code from the entries of one fiscal year (its opening entry included)."""
    result: dict[str, Decimal] = {}
    for entry, line in ledger.lines():
        if entry.fiscal_year != year or (until and entry.date > until):
            continue
        result[line.account_code] = result.get(line.account_code, ZERO) + line.amount
    return result


def closing_positions(ledger: Ledger, year: int) -> dict[tuple[str, str | None], Decimal]:
    """Balance-sheet positions at the end of `year`, per (account, asset), P&L result in equity.

    Assets keep a position each so the next opening entry still says which asset a cost or
    accumulated depreciation belongs to.
    """
    chart = ledger.chart
    retained = chart.account("retained_earnings").code
    positions: dict[tuple[str, str | None], Decimal] = {}
    result = ZERO
    for entry, line in ledger.lines():
        if entry.fiscal_year != year:
            continue
        if chart.by_code[line.account_code].balance_type == "W":
            result += line.amount
            continue
        key = (line.account_code, line.asset_code)
        positions[key] = positions.get(key, ZERO) + line.amount
    # The year's result (credit = profit) closes into retained earnings.
    positions[(retained, None)] = positions.get((retained, None), ZERO) + result
    return {key: amount for key, amount in positions.items() if amount != 0}
