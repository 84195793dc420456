"""Horus's nested records made flat rows: book years' periods, third parties, analytical slots."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# A line carries at most one analytical account per plan; the sandbox's installations keep three
# plans (cost centres, cost units, projects). More plans on one line are refused, not dropped.
ANALYTIC_SLOTS = 3


def _objects(value: Any, what: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError(f"{what} is not a list of objects")
    return value


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} is not an object")
    return value


def periods(bookyears: Iterable[Any]) -> list[dict[str, Any]]:
    """One row per period of each book year, with its year's id, name and closed flag."""
    rows = []
    for year in _objects(list(bookyears), "bookyears"):
        for period in _objects(year.get("periods"), f"book year {year.get('id')!r} periods"):
            number = period.get("number")
            rows.append({
                "id": f"{year.get('id')}/{number}", "bookyearId": year.get("id"),
                "bookyearName": year.get("name"), "bookyearStartDate": year.get("startDate"),
                "bookyearEndDate": year.get("endDate"), "closed": year.get("closed"),
                "number": number, "startDate": period.get("startDate"),
                "endDate": period.get("endDate")})
    return rows


def book_entries(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Book entries with their third party's code and name beside them."""
    return [_with_third_party(entry, "book entry") for entry in _objects(list(records), "data")]


def account_histories(records: Iterable[Any]) -> list[dict[str, Any]]:
    """GL lines with their third party and their analytical accounts in numbered slots."""
    rows = []
    for line in _objects(list(records), "data"):
        row = _with_third_party(line, "account history")
        analytics = _objects(line.get("analytics"), f"line {line.get('id')!r} analytics")
        if len(analytics) > ANALYTIC_SLOTS:
            raise ValueError(f"line {line.get('id')!r} has {len(analytics)} analytical accounts; "
                             f"at most {ANALYTIC_SLOTS} are read")
        row.pop("analytics", None)
        for slot, analytic in enumerate(analytics, start=1):
            row[f"analytic{slot}Plan"] = analytic.get("planCode")
            row[f"analytic{slot}Code"] = analytic.get("code")
        rows.append(row)
    return rows


def _with_third_party(record: Mapping[str, Any], what: str) -> dict[str, Any]:
    party = _object(record.get("thirdParty"), f"{what} {record.get('id')!r} thirdParty")
    row = {key: value for key, value in record.items() if key != "thirdParty"}
    row["thirdPartyCode"], row["thirdPartyName"] = party.get("code"), party.get("name")
    return row
