"""Odoo search domains, orders and field lists over rendered records (dicts as search_read answers).

Domains are lists of (field, operator, value) conditions, implicitly AND-ed, with the prefix
operators '&', '|' and '!'. Many2one values compare by id; x2many values match when any id does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "in", "not in", "like", "ilike", "=like", "=ilike")


class DomainError(ValueError):
    """A domain, order or field list Odoo would refuse (answered as builtins.ValueError)."""


def _plain(value: Any) -> Any:
    """A many2one [id, name] compares as its id."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) \
            and isinstance(value[1], str):
        return value[0]
    return value


def _null(value: Any) -> bool:
    """False or None: Odoo's empty value (0 and 0.0 are values, though they equal False)."""
    return value is None or value is False


def _compare(value: Any, operator: str, target: Any) -> bool:
    if isinstance(value, list) and not (len(value) == 2 and isinstance(value[1], str)):
        # x2many: ids; '=' / 'in' match when one of them does, '!=' / 'not in' when none does.
        if operator in ("=", "in"):
            wanted = target if isinstance(target, (list, tuple)) else [target]
            return any(v in wanted for v in value)
        if operator in ("!=", "not in"):
            wanted = target if isinstance(target, (list, tuple)) else [target]
            return not any(v in wanted for v in value)
    value = _plain(value)
    if operator == "=":
        return (value == target and _null(value) == _null(target)) or (_null(target) and _null(value))
    if operator == "!=":
        return not _compare(value, "=", target)
    if operator in ("in", "not in"):
        if not isinstance(target, (list, tuple)):
            raise DomainError(f"The value for the operator {operator!r} must be a list")
        found = any(value == t and _null(value) == _null(t) for t in target)
        return found if operator == "in" else not found
    if operator in ("like", "ilike", "=like", "=ilike"):
        text, pattern = str(value or ""), str(target)
        if operator.endswith("ilike"):
            text, pattern = text.lower(), pattern.lower()
        if operator.startswith("="):
            import fnmatch
            return fnmatch.fnmatchcase(text, pattern.replace("%", "*").replace("_", "?"))
        return pattern in text
    if _null(value) or _null(target):
        return False  # Odoo: NULL never compares
    try:
        return {">": value > target, ">=": value >= target, "<": value < target,
                "<=": value <= target}[operator]
    except TypeError:
        raise DomainError(f"cannot compare {value!r} {operator} {target!r}") from None


def matcher(domain: Any, fields: Mapping[str, Any], model: str) -> Callable[[dict], bool]:
    """A predicate for records of `model` (`fields`: its field names) from an Odoo domain."""
    if domain in (None, False):
        domain = []
    if not isinstance(domain, list):
        raise DomainError(f"Invalid domain {domain!r}: a list was expected")
    items = list(domain)

    def parse(position: int) -> tuple[Callable[[dict], bool], int]:
        if position >= len(items):
            raise DomainError(f"Invalid domain {domain!r}: an operator misses its operands")
        item = items[position]
        if item in ("&", "|"):
            left, after = parse(position + 1)
            right, after = parse(after)
            if item == "&":
                return (lambda r: left(r) and right(r)), after
            return (lambda r: left(r) or right(r)), after
        if item == "!":
            inner, after = parse(position + 1)
            return (lambda r: not inner(r)), after
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            raise DomainError(f"Invalid leaf {item!r}")
        name, operator, target = item
        if name not in fields:
            raise DomainError(f"Invalid field {name!r} on model {model!r}")
        if operator not in OPERATORS:
            raise DomainError(f"Invalid operator {operator!r} in leaf {item!r}")
        return (lambda r: _compare(r.get(name), operator, target)), position + 1

    # Top-level terms are AND-ed: parse them one after another.
    terms, position = [], 0
    while position < len(items):
        term, position = parse(position)
        terms.append(term)
    return lambda record: all(term(record) for term in terms)


def sort(records: list[dict], order: str | None, default: str, fields: Mapping[str, Any],
         model: str) -> list[dict]:
    """Records in `order` ("write_date asc, id desc"), else the model's default order; NULLs
    (false) sort last ascending, as in PostgreSQL."""
    spec = []
    for part in (order or default).split(","):
        words = part.split()
        if not words:
            continue
        name = words[0]
        direction = words[1].lower() if len(words) > 1 else "asc"
        if not order and name not in fields:
            continue  # a default order's field this sandbox does not serve
        if name not in fields or direction not in ("asc", "desc") or len(words) > 2:
            raise DomainError(f"Invalid \"order\" specified ({order}). A valid \"order\" "
                              "specification is a comma-separated list of valid field names "
                              "(optionally followed by asc/desc for the direction)")
        spec.append((name, direction == "desc"))
    ordered = list(records)
    for name, descending in reversed(spec):
        present = [r for r in ordered if not _null(_plain(r.get(name)))]
        missing = [r for r in ordered if _null(_plain(r.get(name)))]
        present.sort(key=lambda r: _sort_key(r.get(name)), reverse=descending)
        ordered = missing + present if descending else present + missing
    return ordered


def _sort_key(value: Any) -> Any:
    # Many2one fields sort by their display name in Odoo (the comodel's order); close enough.
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
        return value[1]
    return value


def select(records: Sequence[dict], fields: Sequence[str] | None, known: Mapping[str, Any],
           model: str) -> list[dict]:
    """Only the fields asked for (and always id), as search_read answers."""
    if not fields:
        return [dict(r) for r in records]
    for name in fields:
        if name not in known:
            raise DomainError(f"Invalid field {name!r} on model {model!r}")
    return [{"id": r["id"], **{name: r.get(name) for name in fields if name != "id"}}
            for r in records]
