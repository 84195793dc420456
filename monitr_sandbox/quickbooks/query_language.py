"""QBO's query language as the emulator runs it:

    SELECT * | COUNT(*) FROM <Entity> [WHERE <cond> [AND <cond>]...] [ORDERBY <field> [ASC|DESC]]
    [STARTPOSITION <n>] [MAXRESULTS <n>]

<cond> is `<field> <op> <value>` with = != < > <= >=, LIKE '%text%', or IN (<value>, ...); values
are 'quoted', numbers, true or false. Keywords, entity and field names are case-insensitive; there
is no OR. Only an entity's filterable fields may be compared (QueryValidationError otherwise).
Name lists (Account, Class, Department, Customer, Vendor) answer active rows only unless the query
names Active. MAXRESULTS defaults to 100 and is capped at 1000; STARTPOSITION counts from 1.
Errors use QBO's codes: 4000 "Error parsing query" (QueryParserError), 4001 "Invalid query"
(QueryValidationError).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from monitr_sandbox.quickbooks.company import INTUIT_TIME_ZONE
from monitr_sandbox.quickbooks.responses import QboFault

DEFAULT_MAX_RESULTS = 100
MAX_RESULTS = 1000
NAME_LISTS = frozenset({"Account", "Class", "Department", "Customer", "Vendor"})
_COMMON = {"Id", "MetaData.CreateTime", "MetaData.LastUpdatedTime"}
_TRANSACTION = _COMMON | {"DocNumber", "TxnDate"}
FILTERABLE: Mapping[str, frozenset[str]] = {
    "Account": frozenset(_COMMON | {"Name", "SubAccount", "ParentRef", "Active", "Classification",
                                    "AccountType", "CurrentBalance", "AcctNum"}),
    "Class": frozenset(_COMMON | {"Name", "SubClass", "ParentRef", "Active", "FullyQualifiedName"}),
    "Department": frozenset(_COMMON | {"Name", "SubDepartment", "ParentRef", "Active",
                                       "FullyQualifiedName"}),
    "Customer": frozenset(_COMMON | {"DisplayName", "CompanyName", "Active", "Balance"}),
    "Vendor": frozenset(_COMMON | {"DisplayName", "CompanyName", "Active", "Balance"}),
    "JournalEntry": frozenset(_TRANSACTION),
    "Invoice": frozenset(_TRANSACTION | {"Balance", "TotalAmt", "CustomerRef", "DueDate"}),
    "Bill": frozenset(_TRANSACTION | {"Balance", "TotalAmt", "VendorRef", "DueDate"}),
    "CreditMemo": frozenset(_TRANSACTION | {"Balance", "TotalAmt", "CustomerRef"}),
    "SalesReceipt": frozenset(_TRANSACTION | {"TotalAmt", "CustomerRef"}),
    "RefundReceipt": frozenset(_TRANSACTION | {"TotalAmt", "CustomerRef"}),
    "Payment": frozenset(_TRANSACTION | {"TotalAmt", "CustomerRef"}),
    "Deposit": frozenset(_TRANSACTION | {"TotalAmt"}),
    "VendorCredit": frozenset(_TRANSACTION | {"Balance", "TotalAmt", "VendorRef"}),
    "BillPayment": frozenset(_TRANSACTION | {"TotalAmt", "VendorRef"}),
    "Purchase": frozenset(_TRANSACTION | {"TotalAmt", "PaymentType"}),
    "Transfer": frozenset(_TRANSACTION | {"Amount"}),
    "CompanyInfo": frozenset(_COMMON),
    "Preferences": frozenset(_COMMON),
}
ENTITIES = {name.lower(): name for name in FILTERABLE}
_OPERATORS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt,
              "<=": operator.le, ">=": operator.ge}

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<op>>=|<=|!=|<>|=|<|>)
  | (?P<punct>[(),*])
  | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
  | (?P<word>[A-Za-z_][\w.]*)
)""", re.VERBOSE)


@dataclass(frozen=True)
class Condition:
    field: str  # canonical spelling
    op: str  # = != < > <= >= like in
    values: tuple[Any, ...]


@dataclass
class Query:
    entity: str
    count: bool = False
    conditions: list[Condition] = field(default_factory=list)
    order_by: str | None = None
    descending: bool = False
    start: int = 1
    max_results: int = DEFAULT_MAX_RESULTS


def _parse_error(detail: str) -> QboFault:
    return QboFault(400, "Error parsing query", f"QueryParserError: {detail}", "4000")


def _validation_error(detail: str) -> QboFault:
    return QboFault(400, "Invalid query", f"QueryValidationError: {detail}", "4001")


class _Tokens:
    def __init__(self, text: str):
        self.items: list[tuple[str, str, int]] = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                raise _parse_error(f"Encountered \"{text[position:position + 10]}\" at line 1, "
                                   f"column {position + 1}.")
            kind = match.lastgroup
            self.items.append((kind, match.group(kind), match.start(kind) + 1))
            position = match.end()
        self.index = 0

    def peek_word(self) -> str | None:
        if self.index < len(self.items) and self.items[self.index][0] == "word":
            return self.items[self.index][1].upper()
        return None

    def take(self, kind: str | None = None, text: str | None = None) -> str:
        if self.index >= len(self.items):
            raise _parse_error("Encountered \"<EOF>\" at the end of the query.")
        token_kind, value, column = self.items[self.index]
        if (kind and token_kind != kind) or (text and value.upper() != text):
            raise _parse_error(f"Encountered \"{value}\" at line 1, column {column}.")
        self.index += 1
        return value

    def next_is(self, text: str) -> bool:
        return self.index < len(self.items) and self.items[self.index][1] == text

    def take_keyword(self, *keywords: str) -> bool:
        if self.peek_word() in keywords:
            self.index += 1
            return True
        return False

    @property
    def done(self) -> bool:
        return self.index >= len(self.items)


def parse(text: str) -> Query:
    tokens = _Tokens(text)
    tokens.take("word", "SELECT")
    count = False
    if tokens.take_keyword("COUNT"):
        tokens.take("punct", "(")
        tokens.take("punct", "*")
        tokens.take("punct", ")")
        count = True
    else:
        tokens.take("punct", "*")
    tokens.take("word", "FROM")
    name = tokens.take("word")
    entity = ENTITIES.get(name.lower())
    if entity is None:
        raise _validation_error(f"Invalid context declaration : {name}")
    query = Query(entity, count)
    if tokens.take_keyword("WHERE"):
        query.conditions.append(_condition(tokens, entity))
        while tokens.take_keyword("AND"):
            query.conditions.append(_condition(tokens, entity))
    if tokens.take_keyword("ORDERBY") or (tokens.take_keyword("ORDER") and tokens.take("word", "BY")):
        query.order_by = _field(tokens.take("word"), entity)
        if tokens.take_keyword("DESC"):
            query.descending = True
        else:
            tokens.take_keyword("ASC")
    if tokens.take_keyword("STARTPOSITION"):
        query.start = max(1, int(tokens.take("number")))
    if tokens.take_keyword("MAXRESULTS"):
        query.max_results = min(MAX_RESULTS, max(1, int(tokens.take("number"))))
    if not tokens.done:
        tokens.take("end")  # raises, naming what is left over
    return query


def _field(name: str, entity: str) -> str:
    for known in FILTERABLE[entity]:
        if known.lower() == name.lower():
            return known
    raise _validation_error(f"property '{name}' is not queryable")


def _condition(tokens: _Tokens, entity: str) -> Condition:
    name = _field(tokens.take("word"), entity)
    if tokens.take_keyword("IN"):
        tokens.take("punct", "(")
        values = [_value(tokens)]
        while tokens.next_is(","):
            tokens.take("punct", ",")
            values.append(_value(tokens))
        tokens.take("punct", ")")
        return Condition(name, "in", tuple(values))
    if tokens.take_keyword("LIKE"):
        return Condition(name, "like", (_value(tokens),))
    op = tokens.take("op")
    return Condition(name, "!=" if op == "<>" else op, (_value(tokens),))


def _value(tokens: _Tokens) -> Any:
    kind, text, _ = tokens.items[tokens.index] if not tokens.done else ("end", "", 0)
    if kind == "string":
        tokens.take("string")
        return text[1:-1].replace("\\'", "'")
    if kind == "number":
        return Decimal(tokens.take("number"))
    word = tokens.take("word").lower()
    if word in ("true", "false"):
        return word == "true"
    raise _parse_error(f"Encountered \"{word}\": a value was expected.")


# --- evaluation -----------------------------------------------------------------------------------
def _lookup(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for step in path.split("."):
        value = value.get(step) if isinstance(value, Mapping) else None
    if isinstance(value, Mapping):
        return value.get("value")  # a Ref (CustomerRef = '42') compares by its id
    return value


def _comparable(field_name: str, value: Any, literal: Any) -> tuple[Any, Any]:
    """Both sides in one type: times as instants, numbers as decimals, the rest as they are."""
    if field_name.startswith("MetaData.") and value is not None:
        return datetime.fromisoformat(value), _instant(literal, field_name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return Decimal(str(value)), Decimal(str(literal))
        except InvalidOperation:
            raise _validation_error(f"{literal!r} is not a number for {field_name}") from None
    if field_name == "Id" and str(value).isdigit() and str(literal).isdigit():
        return int(value), int(literal)
    return value, literal


def _instant(literal: Any, field_name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(literal))
    except ValueError:
        raise _validation_error(f"{literal!r} is not a date-time for {field_name}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=INTUIT_TIME_ZONE)


def _matches(record: Mapping[str, Any], condition: Condition) -> bool:
    value = _lookup(record, condition.field)
    if value is None:
        return False
    if condition.op == "in":
        return any(_compare(condition.field, value, "=", literal) for literal in condition.values)
    if condition.op == "like":
        pattern = re.escape(str(condition.values[0])).replace("%", ".*")
        return re.fullmatch(pattern, str(value), re.IGNORECASE) is not None
    return _compare(condition.field, value, condition.op, condition.values[0])


def _compare(field_name: str, value: Any, op: str, literal: Any) -> bool:
    left, right = _comparable(field_name, value, literal)
    try:
        return _OPERATORS[op](left, right)
    except TypeError:
        raise _validation_error(f"cannot compare {field_name} with {literal!r}") from None


def _order_key(record: Mapping[str, Any], field_name: str | None) -> tuple:
    object_id = str(record.get("Id", ""))
    id_key = (0, int(object_id), "") if object_id.isdigit() else (1, 0, object_id)
    if field_name is None:
        return (id_key,)
    value = _lookup(record, field_name)
    if field_name.startswith("MetaData.") and value is not None:
        value = datetime.fromisoformat(value)
    return (value is None, value, id_key)


def run(query: Query, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The QueryResponse of a parsed query over an entity's records."""
    conditions = list(query.conditions)
    if query.entity in NAME_LISTS and not any(c.field == "Active" for c in conditions):
        conditions.append(Condition("Active", "=", (True,)))
    selected = [r for r in records if all(_matches(r, c) for c in conditions)]
    if query.count:
        return {"totalCount": len(selected)}
    selected.sort(key=lambda r: _order_key(r, query.order_by), reverse=query.descending)
    page = selected[query.start - 1:query.start - 1 + query.max_results]
    if not page:
        return {}
    return {query.entity: page, "startPosition": query.start, "maxResults": len(page)}
