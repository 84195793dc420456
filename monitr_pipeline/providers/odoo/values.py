"""Odoo's JSON values as typed row values: false for empty, many2one pairs, datetimes in UTC."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from monitr_pipeline.providers.odoo.spec import MANY2ONE_NAMES


class FieldError(ValueError):
    """A field of a record could not be read as its declared type."""

    def __init__(self, field: str, value: Any, expected: str):
        super().__init__(f"field {field!r}: {value!r} is not a valid {expected}")
        self.field = field


def _integer(value: Any) -> int:
    if isinstance(value, list) and len(value) == 2:  # many2one [id, display name]
        value = value[0]
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(value)
    return int(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _datetime(value: Any) -> datetime:
    # Odoo writes datetimes in UTC without a zone: "2025-01-31 09:00:00".
    return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise TypeError(value)
    return str(value)


_READERS: dict[str, Any] = {
    "decimal": lambda value: Decimal(str(value)), "bigint": _integer, "bool": _boolean,
    "date": lambda value: date.fromisoformat(str(value)), "timestamp": _datetime, "text": _text,
    "json": lambda value: value if isinstance(value, dict) else _raise(value),
}


def _raise(value: Any) -> Any:
    raise TypeError(value)


def convert(field: str, value: Any, data_type: str) -> Any:
    """One value; Odoo's false is empty for every type but bool (an unset date, partner, text)."""
    if value is None or (value is False and data_type != "bool"):
        return None
    if isinstance(value, bool) and data_type not in ("bool",):
        raise FieldError(field, value, data_type)
    try:
        return _READERS[data_type](value)
    except (TypeError, ValueError, ArithmeticError):
        raise FieldError(field, value, data_type) from None


def typed_row(columns: Mapping[str, str], record: Mapping[str, Any]) -> dict[str, Any]:
    """The declared columns of a record; `*_name` columns take their many2one's display name."""
    row = {}
    for name, data_type in columns.items():
        source = MANY2ONE_NAMES.get(name)
        if source is not None:
            pair = record.get(source)
            if pair not in (None, False) and not (isinstance(pair, list) and len(pair) == 2):
                raise FieldError(source, pair, "many2one [id, name]")
            row[name] = convert(name, pair[1], data_type) if pair else None
            continue
        value = record.get(name)
        if data_type == "bigint" and name.endswith("_id") and value not in (None, False) \
                and not isinstance(value, (list, int)):
            raise FieldError(name, value, "many2one [id, name]")
        row[name] = convert(name, value, data_type)
    return row
