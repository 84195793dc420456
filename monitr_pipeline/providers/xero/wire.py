"""Xero's nested records made flat rows (its `/Date(ms+0000)/` values are its spec's wire format)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MAX_TRACKING_CATEGORIES = 2


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
