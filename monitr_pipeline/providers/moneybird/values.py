"""Moneybird's wire values: ids as strings (or integers), decimals as strings, ISO dates, UTC times,
nested objects and arrays."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

# Responses write decimals with a dot ("1210.0", "-12.5"); "10,95" is accepted in requests only.
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RecordFieldError(ValueError):
    """A field of a record could not be read as its declared type."""

    def __init__(self, field: str, value: Any, expected: str):
        super().__init__(f"field {field!r}: {value!r} is not a valid {expected}")
        self.field = field


def _text(value: Any) -> str:
    # 18-digit ids arrive as strings, but the description allows integers too: keep them as text.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError
    return str(value)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError
    if isinstance(value, str) and not _DECIMAL.match(value):
        raise ValueError
    return Decimal(str(value))


def _bigint(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError
    return int(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _date(value: Any) -> date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError
    return date.fromisoformat(value)


def _timestamp(value: Any) -> datetime:
    """`2026-08-21T13:49:31.590Z`: always with a zone; a time without one is not Moneybird's."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError
    return parsed.astimezone(UTC)


_PARSERS = {"text": _text, "decimal": _decimal, "bigint": _bigint, "bool": _bool, "date": _date,
            "timestamp": _timestamp}


def parse_value(field: str, value: Any, data_type: str) -> Any:
    """`value` as the declared dlt type; None stays None (and so does "" for non-text types)."""
    if value is None or (value == "" and data_type != "text"):
        return None
    try:
        return _PARSERS[data_type](value)
    except (TypeError, ValueError, ArithmeticError):
        raise RecordFieldError(field, value, data_type) from None


def nested_json(field: str, value: Any) -> list[Any] | dict[str, Any] | None:
    """A nested object or array, checked to be one (None stays None); the engine stores it as json."""
    if value is None:
        return None
    if not isinstance(value, (list, dict)):
        raise RecordFieldError(field, value, "JSON object or array")
    return value
