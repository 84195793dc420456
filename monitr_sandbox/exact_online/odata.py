"""Exact's OData v2 dialect: literals, $select/$filter/$top/$skiptoken, `/Date(ms)/`, error bodies, Atom."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID
from xml.sax.saxutils import escape

_EPOCH = datetime(1970, 1, 1)
SELECT_REQUIRED = "Please add a $select or a $top=1 statement to the query string."
_UNSUPPORTED_OPTIONS = ("$orderby", "$expand", "$skip")


class ODataError(Exception):
    """A request Exact would refuse; rendered as its error body with `status`."""

    def __init__(self, message: str, status: int = 400, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message, self.status, self.headers = message, status, dict(headers or {})


def error_body(message: str) -> dict[str, Any]:
    return {"error": {"code": "", "message": {"lang": "", "value": message}}}


# --- values --------------------------------------------------------------------------------------
def exact_date(value: date | datetime) -> str:
    """`/Date(ms)/` of Amsterdam wall-clock time written as if it were UTC (airbyte source-exact)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return f"/Date({int((value.replace(tzinfo=None) - _EPOCH).total_seconds() * 1000)})/"


def to_json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return exact_date(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        # Amounts are JSON numbers; two-decimal amounts survive the float round trip exactly.
        return float(value)
    return value


def literal(value: Any) -> str:
    """The OData literal of a key value, as used in URIs and skiptokens."""
    if isinstance(value, UUID):
        return f"guid'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L" if value > 2**31 - 1 else str(value)
    return f"'{value}'"


@dataclass(frozen=True)
class Literal:
    value: Any
    edm: str  # Edm type name, for Exact-style type errors


_TOKEN = re.compile(r"""\s*(?:
    (?P<guid>guid'(?P<guidv>[0-9a-fA-F-]{36})') |
    (?P<dt>datetime'(?P<dtv>[0-9T:.\-]+)') |
    (?P<str>'(?P<strv>(?:[^']|'')*)') |
    (?P<num>-?\d+(?:\.\d+)?)(?P<suffix>[LMmDd])? |
    (?P<word>[A-Za-z_][A-Za-z0-9_/]*)
)""", re.VERBOSE)


def _literal(match: re.Match) -> Literal | None:
    if match.group("guid"):
        return Literal(match.group("guidv").lower(), "Edm.Guid")
    if match.group("dt"):
        return Literal(datetime.fromisoformat(match.group("dtv")), "Edm.DateTime")
    if match.group("str") is not None:
        return Literal(match.group("strv").replace("''", "'"), "Edm.String")
    if match.group("num"):
        text, suffix = match.group("num"), match.group("suffix")
        if "." in text or suffix in ("M", "m", "D", "d"):
            return Literal(Decimal(text), "Edm.Decimal")
        return Literal(int(text), "Edm.Int64" if suffix == "L" else "Edm.Int32")
    word = match.group("word")
    if word in ("true", "false"):
        return Literal(word == "true", "Edm.Boolean")
    if word == "null":
        return Literal(None, "null")
    return None


def parse_literal(text: str) -> Literal:
    match = _TOKEN.fullmatch(text.strip())
    parsed = _literal(match) if match else None
    if parsed is None:
        raise ODataError(f"Syntax error: '{text}' is not a valid literal.")
    return parsed


# --- $filter -------------------------------------------------------------------------------------
_OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le")


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Literal


def parse_filter(text: str) -> list[Condition]:
    """`Field op literal [and Field op literal ...]`: the subset of OData the sandbox needs."""
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            if text[position:].strip():
                raise ODataError(f"Syntax error at position {position} in '{text}'.")
            break
        tokens.append(match)
        position = match.end()
    conditions = []
    for index in range(0, len(tokens), 4):
        group = tokens[index:index + 3]
        field, op = (group[0].group("word"), group[1].group("word")) if len(group) == 3 else (None, None)
        value = _literal(group[2]) if field and op in _OPERATORS else None
        if value is None:
            raise ODataError(f"The sandbox supports only 'Field op value [and ...]' filters, not '{text}'.")
        conditions.append(Condition(field, op, value))
        if index + 3 < len(tokens) and tokens[index + 3].group("word") != "and":
            raise ODataError(f"Syntax error in '{text}': only 'and' can combine conditions.")
    return conditions


def _comparable(row_value: Any, literal_value: Any) -> tuple[Any, Any]:
    if isinstance(row_value, UUID):
        return str(row_value), str(literal_value).lower()
    if isinstance(literal_value, datetime) and isinstance(row_value, date):
        if not isinstance(row_value, datetime):
            row_value = datetime.combine(row_value, time())
        return row_value, literal_value
    return row_value, literal_value


def matches(row: Mapping[str, Any], conditions: list[Condition]) -> bool:
    for condition in conditions:
        left, right = _comparable(row[condition.field], condition.value.value)
        if condition.op in ("eq", "ne"):
            if (left == right) != (condition.op == "eq"):
                return False
            continue
        if left is None or right is None:
            return False
        try:
            ok = {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}
        except TypeError:
            raise ODataError(f"Operator '{condition.op}' incompatible with operand types of "
                             f"'{condition.field}' and {condition.value.edm}.") from None
        if not ok[condition.op]:
            return False
    return True


# --- query options -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    select: tuple[str, ...] | None
    conditions: list[Condition]
    top: int | None
    skiptoken: Literal | None


def parse_query(args: Mapping[str, str], fields: tuple[str, ...], type_name: str, *,
                select_required: bool) -> Query:
    for option in _UNSUPPORTED_OPTIONS:
        if option in args:
            raise ODataError(f"The sandbox does not support {option}.")
    top = None
    if "$top" in args:
        if not args["$top"].isdigit():
            raise ODataError(f"Invalid value '{args['$top']}' for $top.")
        top = int(args["$top"])
    select = None
    raw_select = args.get("$select", "").strip()
    if raw_select and raw_select != "*":
        select = tuple(name.strip() for name in raw_select.split(",") if name.strip())
        unknown = [name for name in select if name not in fields]
        if unknown:
            raise ODataError(f"No property '{unknown[0]}' exists in type '{type_name}'.")
    elif not raw_select and select_required and top != 1:
        raise ODataError(SELECT_REQUIRED)
    conditions = parse_filter(args["$filter"]) if args.get("$filter", "").strip() else []
    for condition in conditions:
        if condition.field not in fields:
            raise ODataError(f"No property '{condition.field}' exists in type '{type_name}'.")
    skiptoken = parse_literal(args["$skiptoken"]) if args.get("$skiptoken") else None
    return Query(select, conditions, top, skiptoken)


def project(row: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: to_json(row[name]) for name in names}


# --- Atom (what Exact answers without `Accept: application/json`) --------------------------------
def atom_feed(title: str, entries: list[tuple[str, str, dict[str, Any]]]) -> str:
    """A minimal Atom feed: one <entry> per (uri, type, json-ready properties)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" '
        'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">',
        f"<title type=\"text\">{escape(title)}</title>",
    ]
    for uri, type_name, properties in entries:
        props = "".join(
            f"<d:{name} m:null=\"true\" />" if value is None else f"<d:{name}>{escape(str(value))}</d:{name}>"
            for name, value in properties.items())
        parts.append(f"<entry><id>{escape(uri)}</id><category term=\"{type_name}\" "
                     "scheme=\"http://schemas.microsoft.com/ado/2007/08/dataservices/scheme\" />"
                     f"<content type=\"application/xml\"><m:properties>{props}</m:properties>"
                     "</content></entry>")
    parts.append("</feed>")
    return "".join(parts)


def atom_error(message: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><m:error xmlns:m="http://schemas.microsoft.com/'
            f'ado/2007/08/dataservices/metadata"><m:code /><m:message xml:lang="">{escape(message)}'
            "</m:message></m:error>")
