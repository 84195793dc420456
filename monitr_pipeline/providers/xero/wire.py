"""Xero's wire format: `/Date(ms+0000)/` values, typed fields, and nested records made flat rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

# .NET JSON dates: milliseconds since the epoch (UTC); the offset, when present, only says which
# zone the value was entered in and does not shift the instant (airbyte source-xero).
_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_TRACKING_CATEGORIES = 2


def parse_timestamp(value: str) -> datetime:
    """`/Date(1573755038314+0000)/` or ISO 8601 (Assets API, If-Modified-Since) as aware UTC."""
    match = _MS_DATE.match(value)
    if match:
        return _EPOCH + timedelta(milliseconds=int(match.group(1)))
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_date(value: str) -> date:
    """A calendar date: midnight UTC in `/Date(...)/` form, or `2020-01-01[T00:00:00]`."""
    return parse_timestamp(value).date()


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(value)
    # str() of a float is its shortest round-trip form, so 12.3 stays 12.3, not 12.2999...
    return Decimal(str(value))


def _bigint(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise TypeError(value)
    return int(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "text": str, "date": parse_date, "timestamp": parse_timestamp, "decimal": _decimal,
    "bigint": _bigint, "bool": _bool,
}


def typed(field: str, value: Any, data_type: str) -> Any:
    """A field's value as its declared type; ValueError naming the field when it is not one."""
    if value is None or value == "":
        return None
    try:
        return _CONVERTERS[data_type](value)
    except (TypeError, ValueError, ArithmeticError):
        raise ValueError(f"field {field!r}: {value!r} is not a valid {data_type}") from None


def _objects(value: Any, what: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError(f"{what} is not a list of objects")
    return value


def journal_lines(journals: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per journal line, carrying its journal's fields and a 1-based LineNumber."""
    rows = []
    for journal in _objects(list(journals), "Journals"):
        header = {key: journal.get(key) for key in ("JournalID", "JournalNumber", "JournalDate",
                                                    "CreatedDateUTC", "Reference", "SourceID",
                                                    "SourceType")}
        lines = journal.get("JournalLines")
        if not isinstance(lines, list):
            raise ValueError(f"journal {journal.get('JournalNumber')!r} has no JournalLines list")
        for number, line in enumerate(_objects(lines, "JournalLines"), start=1):
            row = {**line, **header, "LineNumber": number}
            row.pop("TrackingCategories", None)
            row.update(_tracking_slots(line))
            rows.append(row)
    return rows


def _tracking_slots(line: Mapping[str, Any]) -> dict[str, Any]:
    tracking = _objects(line.get("TrackingCategories"), "TrackingCategories")
    if len(tracking) > MAX_TRACKING_CATEGORIES:
        raise ValueError(f"journal line {line.get('JournalLineID')!r} has {len(tracking)} "
                         f"tracking categories; Xero allows {MAX_TRACKING_CATEGORIES}")
    slots: dict[str, Any] = {}
    for slot, category in enumerate(tracking, start=1):
        slots[f"TrackingCategoryName{slot}"] = category.get("Name")
        slots[f"TrackingOptionName{slot}"] = category.get("Option")
        slots[f"TrackingCategoryID{slot}"] = category.get("TrackingCategoryID")
        slots[f"TrackingOptionID{slot}"] = category.get("TrackingOptionID")
    return slots


def tracking_options(categories: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per option, with its category's id, name and status."""
    return [
        {**option, "TrackingCategoryID": category.get("TrackingCategoryID"),
         "CategoryName": category.get("Name"), "CategoryStatus": category.get("Status")}
        for category in _objects(list(categories), "TrackingCategories")
        for option in _objects(category.get("Options"), "Options")
    ]


def invoices(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Invoices with their contact's id, name and number beside them."""
    rows = []
    for invoice in _objects(list(records), "Invoices"):
        contact = invoice.get("Contact") or {}
        if not isinstance(contact, Mapping):
            raise ValueError(f"invoice {invoice.get('InvoiceID')!r}: Contact is not an object")
        rows.append({**invoice, "ContactID": contact.get("ContactID"),
                     "ContactName": contact.get("Name"),
                     "ContactNumber": contact.get("ContactNumber")})
    return rows


def assets(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Assets with their book depreciation setting and detail flattened beside them."""
    rows = []
    for asset in _objects(list(records), "items"):
        nested = [asset.get("bookDepreciationSetting") or {}, asset.get("bookDepreciationDetail") or {}]
        if not all(isinstance(part, Mapping) for part in nested):
            raise ValueError(f"asset {asset.get('assetId')!r}: book depreciation is not an object")
        rows.append({**nested[0], **nested[1], **asset})
    return rows
