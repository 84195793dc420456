"""e-Boekhouden's list filters: `field=value` or `field[op]=value`, one filter per field.

Operators from the swagger intro ("Filters"): strings eq, not_eq, like, not_like (`%` any run, `?`
one character); numbers and dates eq, not_eq, gt, gte, lt, lte and range (`a,b`, inclusive).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

_ARGUMENT = re.compile(r"^(\w+)(?:\[(\w+)\])?$")
_TEXT_OPS = frozenset({"eq", "not_eq", "like", "not_like"})
_ORDER_OPS = {"eq": operator.eq, "not_eq": operator.ne, "gt": operator.gt, "gte": operator.ge,
              "lt": operator.lt, "lte": operator.le}
_PARSERS: dict[str, Callable[[str], Any]] = {"int": int, "date": date.fromisoformat, "text": str}


class FilterError(ValueError):
    """A filter the API refuses (ERR_002)."""


def apply_filters(rows: list[dict], args: Any, fields: Mapping[str, str]) -> list[dict]:
    """Rows matching every filter among `args` on `fields` (name -> int | date | text)."""
    tests: dict[str, Callable[[Any], bool]] = {}
    for key, value in args.items(multi=True):
        match = _ARGUMENT.match(key)
        if not match or match.group(1) not in fields:
            continue  # paging and other parameters
        field, op = match.group(1), match.group(2) or "eq"
        if field in tests:
            raise FilterError(f"only one filter can be applied to {field}")
        tests[field] = _test(field, op, value, fields[field])
    return [row for row in rows if all(test(_typed(row.get(f), fields[f])) for f, test in tests.items())]


def _typed(value: Any, kind: str) -> Any:
    if value is None or kind != "date":
        return value
    return date.fromisoformat(str(value)[:10])


def _test(field: str, op: str, raw: str, kind: str) -> Callable[[Any], bool]:
    parse = _PARSERS[kind]
    try:
        if kind == "text":
            if op not in _TEXT_OPS:
                raise FilterError(f"{field}: operator {op!r} does not apply to text")
            if op in ("like", "not_like"):
                pattern = re.compile(
                    "^" + "".join(".*" if c == "%" else "." if c == "?" else re.escape(c) for c in raw)
                    + "$", re.IGNORECASE | re.DOTALL)
                found = op == "like"
                return lambda value: value is not None and bool(pattern.match(str(value))) == found
            compare = _ORDER_OPS[op]
            return lambda value: value is not None and compare(str(value).lower(), raw.lower())
        if op == "range":
            low, high = (parse(part) for part in raw.split(","))
            return lambda value: value is not None and low <= value <= high
        if op not in _ORDER_OPS:
            raise FilterError(f"{field}: unknown operator {op!r}")
        bound, compare = parse(raw), _ORDER_OPS[op]
        return lambda value: value is not None and compare(value, bound)
    except ValueError as exc:
        if isinstance(exc, FilterError):
            raise
        raise FilterError(f"{field}: {raw!r} is not a valid {kind} filter value") from None
