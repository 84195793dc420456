"""CRM v3 search as emulated: filter groups (OR of groups, AND of filters), one sort, `after`
paging by offset, and the cap on how many results one query may page through.

As HubSpot documents it: at most 200 results a page; operators EQ, NEQ, LT, LTE, GT, GTE, IN,
NOT_IN, BETWEEN, HAS_PROPERTY, NOT_HAS_PROPERTY; datetime properties compared as epoch
milliseconds (ISO text accepted too); `total` counts every match; paging past the cap (10,000)
is a 400. Assumptions: results equal on the sort property come in id order; `sorts` items may be
a property name ("-name" descending, as the OpenAPI description types them: strings) or
{"propertyName", "direction"} (as HubSpot's guides write them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from monitr_sandbox.hubspot.deals import Deal, DealBook

MAX_LIMIT = 200
_TIMES = {"hs_lastmodifieddate", "createdate", "closedate"}
_NUMBERS = {"hs_object_id", "amount", "amount_in_home_currency", "hs_deal_stage_probability"}


class SearchError(ValueError):
    pass


def _comparable(name: str, value: Any) -> Any:
    if value is None:
        return None
    text = str(value)
    if name in _TIMES:
        if text.lstrip("-").isdigit():
            return int(text)
        try:
            return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
        except ValueError:
            raise SearchError(f"{text!r} is not a valid value for {name}") from None
    if name in _NUMBERS:
        try:
            return Decimal(text)
        except InvalidOperation:
            raise SearchError(f"{text!r} is not a valid value for {name}") from None
    return text


_OPERATORS: dict[str, Callable[[Any, Any, Any], bool]] = {
    "EQ": lambda v, x, _: v is not None and v == x,
    "NEQ": lambda v, x, _: v != x,
    "LT": lambda v, x, _: v is not None and v < x,
    "LTE": lambda v, x, _: v is not None and v <= x,
    "GT": lambda v, x, _: v is not None and v > x,
    "GTE": lambda v, x, _: v is not None and v >= x,
    "BETWEEN": lambda v, x, high: v is not None and x <= v <= high,
    "IN": lambda v, x, _: v in x,
    "NOT_IN": lambda v, x, _: v not in x,
    "HAS_PROPERTY": lambda v, x, _: v is not None,
    "NOT_HAS_PROPERTY": lambda v, x, _: v is None,
}


@dataclass(frozen=True)
class Filter:
    name: str
    operator: str
    value: Any
    high: Any

    def matches(self, properties: dict[str, str]) -> bool:
        value = _comparable(self.name, properties.get(self.name))
        return _OPERATORS[self.operator](value, self.value, self.high)


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Filter, ...], ...]
    sort: tuple[str, bool] | None  # property, descending
    properties: tuple[str, ...]
    limit: int
    after: int

    @classmethod
    def parse(cls, body: Any) -> Query:
        if not isinstance(body, dict):
            raise SearchError("Invalid input JSON: the body must be a search request object")
        groups = []
        for group in body.get("filterGroups") or []:
            filters = []
            for item in (group or {}).get("filters") or []:
                name, operator = item.get("propertyName"), item.get("operator", "EQ")
                if not name or operator not in _OPERATORS:
                    raise SearchError(f"Invalid filter: {item!r}")
                if operator in ("IN", "NOT_IN"):
                    value = [_comparable(name, v) for v in item.get("values") or []]
                else:
                    value = _comparable(name, item.get("value"))
                filters.append(Filter(name, operator, value,
                                      _comparable(name, item.get("highValue"))))
            groups.append(tuple(filters))
        if len(groups) > 5:
            raise SearchError("Too many filter groups: at most 5 are allowed")
        sorts = body.get("sorts") or []
        if len(sorts) > 1:
            raise SearchError("At most one sort is allowed")
        sort = None
        if sorts:
            item = sorts[0]
            if isinstance(item, str):
                sort = (item.lstrip("-"), item.startswith("-"))
            else:
                sort = (item.get("propertyName"), item.get("direction") == "DESCENDING")
        try:
            limit = int(body.get("limit", 10))
            after = int(body.get("after") or 0)
        except (TypeError, ValueError):
            raise SearchError("limit and after must be integers") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise SearchError(f"limit must be between 1 and {MAX_LIMIT}")
        return cls(tuple(groups), sort, tuple(body.get("properties") or ()), limit, after)

    def run(self, book: DealBook, cap: int) -> tuple[int, list[Deal], int | None]:
        """(total, this page's deals, the next page's `after` or None)."""
        if self.after >= cap:
            raise SearchError(f"Search results are limited to {cap} per query: page with a "
                              f"narrower filter instead of after={self.after}")
        rows = [(deal, book.properties(deal)) for deal in book.live()]
        rows = [(d, p) for d, p in rows
                if not self.groups or any(all(f.matches(p) for f in g) for g in self.groups)]
        if self.sort:
            name, descending = self.sort
            rows.sort(key=lambda row: row[0].id)
            rows.sort(key=lambda row: (_comparable(name, row[1].get(name)) is None,
                                       _comparable(name, row[1].get(name)) or 0),
                      reverse=descending)
        end = min(self.after + self.limit, cap)
        page = [deal for deal, _ in rows[self.after:end]]
        return len(rows), page, end if end < len(rows) else None
