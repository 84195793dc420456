"""Moneybird's `filter` parameter: `key:value` terms separated by commas; `period:` takes a named
period relative to today or a custom range (YYYYMM..YYYYMM, YYYYMMDD..YYYYMMDD)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_MONTHS = re.compile(r"^(\d{4})(\d{2})$")
_DAYS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class FilterError(ValueError):
    """A filter Moneybird would refuse with 400 and this message."""


def parse_filter(text: str | None) -> dict[str, str]:
    terms: dict[str, str] = {}
    for term in filter(None, (text or "").split(",")):
        key, separator, value = term.partition(":")
        if not separator or not key:
            raise FilterError(f"Filter term {term!r} is invalid")
        terms[key.strip()] = value.strip()
    return terms


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _named(name: str, today: date) -> tuple[date, date] | None:
    relative, _, unit = name.partition("_")
    offset = {"this": 0, "prev": -1, "next": 1}.get(relative)
    if offset is None:
        return None
    if unit == "year":
        return date(today.year + offset, 1, 1), date(today.year + offset, 12, 31)
    if unit == "quarter":
        start = _shift_month(date(today.year, (today.month - 1) // 3 * 3 + 1, 1), 3 * offset)
        end = _shift_month(start, 2)
        return start, _month_end(end.year, end.month)
    if unit == "month":
        start = _shift_month(today, offset)
        return start, _month_end(start.year, start.month)
    if unit == "week":
        start = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        return start, start + timedelta(days=6)
    return None


def _bound(text: str, last: bool) -> date:
    if match := _DAYS.match(text):
        return date(*map(int, match.groups()))
    if match := _MONTHS.match(text):
        year, month = map(int, match.groups())
        return _month_end(year, month) if last else date(year, month, 1)
    raise ValueError(text)


def period_range(value: str, today: date) -> tuple[date, date]:
    named = _named(value, today)
    if named:
        return named
    first, separator, last = value.partition("..")
    try:
        if not separator:
            raise ValueError(value)
        return _bound(first, last=False), _bound(last, last=True)
    except ValueError:
        raise FilterError("Period is invalid") from None
