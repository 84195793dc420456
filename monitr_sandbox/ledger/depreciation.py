"""Linear monthly depreciation schedules of fixed assets, booked at each month end."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from monitr_sandbox.ledger.booking import money
from monitr_sandbox.ledger.model import FixedAsset

ZERO = Decimal("0.00")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def start_date(asset: FixedAsset) -> date:
    """Depreciation starts in the month after the purchase."""
    year, month = add_months(asset.purchase_date, 1)
    return date(year, month, 1)


def end_date(asset: FixedAsset) -> date:
    return month_end(*add_months(start_date(asset), asset.life_months - 1))


def schedule(asset: FixedAsset) -> list[tuple[date, Decimal]]:
    """(month end, charge) for every month of the asset's life; the last month takes the rounding."""
    base = asset.purchase_value - asset.residual_value
    monthly = money(base / asset.life_months)
    start = start_date(asset)
    charges = []
    for index in range(asset.life_months):
        amount = monthly if index < asset.life_months - 1 else base - monthly * (asset.life_months - 1)
        charges.append((month_end(*add_months(start, index)), amount))
    return charges


def depreciated_until(asset: FixedAsset, day: date) -> Decimal:
    return sum((amount for when, amount in schedule(asset) if when <= day), ZERO)
