"""How Moneybird writes values: decimals as strings ("1210.0"), dates, UTC times with milliseconds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def money(value: Decimal | int) -> str:
    """Ruby's BigDecimal#to_s("F"): at least one decimal, no trailing zeros ("1210.0", "12.5")."""
    text = format(Decimal(value).normalize(), "f") if value else "0"
    return text if "." in text else f"{text}.0"


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def local_time(day: date, hour: int, seconds: int = 0) -> datetime:
    """A wall-clock moment in the administration's zone (Amsterdam) on `day`."""
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM) + timedelta(seconds=seconds)


def version_of(moment: datetime) -> int:
    """Versions are the epoch seconds of the last update (compare spec examples: 1787320171)."""
    return int(moment.timestamp())
