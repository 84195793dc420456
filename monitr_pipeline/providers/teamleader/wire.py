"""Teamleader's answers made rows: the department a record belongs to beside its fields, the
project a time entry relates to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def _objects(records: Iterable[Any]) -> list[Mapping[str, Any]]:
    rows = []
    for record in records:
        if not isinstance(record, Mapping):
            raise ValueError(f"a record is not an object: {record!r:.80}")
        rows.append(record)
    return rows


def _reference_id(record: Mapping[str, Any], field: str) -> Any:
    value = record.get(field)
    return value.get("id") if isinstance(value, Mapping) else None


def with_department(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Deals name their department as {type: department, id}: its id beside them, to keep the
    entity's own."""
    return [{**r, "department_id": _reference_id(r, "department")} for r in _objects(records)]


def with_company_entity(records: Iterable[Any]) -> list[dict[str, Any]]:
    """New-module projects name their department as company_entity {type: department, id}."""
    return [{**r, "department_id": _reference_id(r, "company_entity")}
            for r in _objects(records)]


def related_project(entry: Mapping[str, Any]) -> str | None:
    """The project a time entry relates to (its relates_to, given with includes=relates_to)."""
    for related in entry.get("relates_to") or []:
        if isinstance(related, Mapping) and related.get("type") == "project":
            return related.get("id")
    return None
