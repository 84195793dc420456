"""Minox's nested lists made flat rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def year_periods(years: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per period of every fiscal year, keyed `<year>/<period>`, with the year's
    `closed` flag beside it."""
    rows = []
    for year in years:
        if not isinstance(year, Mapping) or not isinstance(year.get("periods"), list):
            raise ValueError(f"fiscal year {year!r:.80} has no periods list")
        for period in year["periods"]:
            if not isinstance(period, Mapping):
                raise ValueError(f"fiscal year {year.get('year')!r}: a period is not an object")
            rows.append({"period_key": f"{year.get('year')}/{period.get('id')}",
                         "year": year.get("year"), "period": period.get("id"),
                         "start_date": period.get("start_date"),
                         "end_date": period.get("end_date"), "closed": year.get("closed")})
    return rows
