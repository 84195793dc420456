"""One typed-value parser for every provider: a page's raw records become an Arrow table of the
endpoint's declared types, a whole column at a time.

Each provider says only how it writes values (WireFormat on its ProviderSpec: .NET `/Date(ms)/`
dates, wall-clock zones, whether a timestamp must carry its zone, what an empty string or false
means, dates in a format of its own). A column whose values all have the expected JSON type is
converted by Arrow in one call; otherwise, and to find the one bad value of a column Arrow
refused, `parse_value` reads it value by value and FieldError names the field and the value.
Values that are already typed (Decimal, date, datetime: the CSV reader's) are taken as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

ARROW_TYPES = {
    "text": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "bool": pa.bool_(),
    "decimal": pa.decimal128(38, 9), "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    # Nested objects and arrays travel as JSON text; the column's dlt hint (json) makes the
    # warehouse type JSON in DuckDB and jsonb in Postgres.
    "json": pa.string(),
}

_DOTNET_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
# Dot decimals only: "10,95" is a Dutch-formatted request value, never an API answer.
_DECIMAL_TEXT = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")
_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
_EPOCH = datetime(1970, 1, 1)


class FieldError(ValueError):
    """A record's field could not be read as its declared type."""

    def __init__(self, field: str, value: Any, expected: str):
        super().__init__(f"field {field!r}: {value!r} is not a valid {expected}")
        self.field = field
        self.value = value
        self.expected = expected

    def without_value(self) -> str:
        """The message for a sensitive field (a salary): the field, never its value."""
        return (f"field {self.field!r}: its value is not a valid {self.expected} (the value is "
                f"not shown: the field is sensitive)")


@dataclass(frozen=True)
class WireFormat:
    """How one provider writes values in its JSON."""

    # `/Date(ms±zzzz)/`: None (not used), "utc" (an instant; the offset only says where it was
    # entered: Xero) or "wall" (a wall-clock time in `zone` written as if it were UTC: Exact).
    dotnet_dates: str | None = None
    # The zone of wall-clock times and of timestamps written without an offset.
    zone: str = "UTC"
    # A timestamp without an offset is an error rather than a time in `zone` (Moneybird).
    timestamps_need_zone: bool = False
    # "" in a text field: kept (it is what the provider says) or read as no value.
    empty_text_is_null: bool = True
    # Every date and time is `/Date(...)/`: ISO text in a date or timestamp field is an error
    # (Exact). Otherwise ISO is read too (Xero's Assets API writes ISO).
    dotnet_only: bool = False
    # false stands for "not set" in a field of any type but bool (Odoo: an unset date, partner,
    # text is false).
    false_is_null: bool = False
    # A bigint field may hold a reference as a pair [id, display name]; its id is the value
    # (Odoo's many2one).
    pairs_are_ids: bool = False
    # strptime formats of dates and of timestamps written other than ISO 8601 (Twinfield:
    # "%Y%m%d", "%Y%m%d%H%M%S"); a timestamp so read is a wall-clock time in `zone`.
    date_format: str | None = None
    timestamp_format: str | None = None


DEFAULT_WIRE = WireFormat()


# --- value by value: the reference, and the error finder ------------------------------------------
def _text(value: Any, wire: WireFormat) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise TypeError
    return str(value)


def _decimal(value: Any, wire: WireFormat) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise TypeError
    if isinstance(value, str) and not _DECIMAL_TEXT.match(value.strip()):
        raise ValueError
    # str() of a float is its shortest round-trip form, so 12.3 stays 12.3, not 12.2999...
    return Decimal(str(value).strip())


def _bigint(value: Any, wire: WireFormat) -> int:
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    if isinstance(value, str) and not _INTEGER_TEXT.match(value.strip()):
        raise ValueError
    if not isinstance(value, str | int):
        raise TypeError
    return int(value)


def _double(value: Any, wire: WireFormat) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise TypeError
    return float(value)


def _bool(value: Any, wire: WireFormat) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _dotnet(value: str, wire: WireFormat) -> datetime | None:
    match = _DOTNET_DATE.match(value) if wire.dotnet_dates else None
    if match is None:
        if wire.dotnet_only:
            raise ValueError
        return None
    moment = _EPOCH + timedelta(milliseconds=int(match.group(1)))
    if wire.dotnet_dates == "wall":
        return moment.replace(tzinfo=ZoneInfo(wire.zone)).astimezone(UTC)
    return moment.replace(tzinfo=UTC)


def _timestamp(value: Any, wire: WireFormat) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif not isinstance(value, str):
        raise TypeError
    elif wire.timestamp_format:
        parsed = datetime.strptime(value, wire.timestamp_format)
    else:
        dotnet = _dotnet(value, wire)
        if dotnet is not None:
            return dotnet
        parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        if wire.timestamps_need_zone:
            raise ValueError
        parsed = parsed.replace(tzinfo=ZoneInfo(wire.zone))
    return parsed.astimezone(UTC)


def _date(value: Any, wire: WireFormat) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError
    if wire.date_format:
        return datetime.strptime(value, wire.date_format).date()
    match = _DOTNET_DATE.match(value) if wire.dotnet_dates else None
    if match is not None:
        # A calendar date: midnight of that day, whatever zone it is said to be in.
        return (_EPOCH + timedelta(milliseconds=int(match.group(1)))).date()
    if wire.dotnet_only:
        raise ValueError
    return date.fromisoformat(value[:10])


def _json(value: Any, wire: WireFormat) -> str:
    # A nested object or array, stored as its JSON text; a string is not one.
    if not isinstance(value, list | dict):
        raise TypeError
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


_PARSERS: dict[str, Callable[[Any, WireFormat], Any]] = {
    "text": _text, "decimal": _decimal, "bigint": _bigint, "double": _double, "bool": _bool,
    "timestamp": _timestamp, "date": _date, "json": _json,
}
_EXPECTED = {"json": "JSON object or array"}


def parse_value(field: str, value: Any, data_type: str, wire: WireFormat = DEFAULT_WIRE) -> Any:
    """One value as its declared type; None stays None, and so does "" (unless the provider's
    empty text is a value). FieldError names the field and the value."""
    if value is None:
        return None
    if value is False and wire.false_is_null and data_type != "bool":
        return None
    if wire.pairs_are_ids and data_type == "bigint" and _is_pair(value):
        value = value[0]
    if value == "" and (data_type != "text" or wire.empty_text_is_null):
        return None
    try:
        return _PARSERS[data_type](value, wire)
    except (TypeError, ValueError, ArithmeticError, OverflowError):
        raise FieldError(field, value, _EXPECTED.get(data_type, data_type)) from None


def _is_pair(value: Any) -> bool:
    return type(value) is list and len(value) == 2


# --- a column at a time ----------------------------------------------------------------------------
_FAST_TYPES: dict[str, frozenset[type]] = {
    "text": frozenset((str,)), "bigint": frozenset((int,)), "bool": frozenset((bool,)),
    "double": frozenset((float, int)), "decimal": frozenset((int, float, str)),
    "date": frozenset((str,)), "timestamp": frozenset((str,)),
}
_NONE = type(None)
_DOTNET_GROUPS = r"^/Date\((?P<ms>-?\d+)(?P<offset>[+-]\d{4})?\)/$"


def _nulls_for_empty(strings: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(strings, ""), pa.scalar(None, strings.type), strings)


def _dotnet_column(strings: pa.Array, data_type: str, wire: WireFormat) -> pa.Array | None:
    """`/Date(ms)/` texts through Arrow: the milliseconds, then a date or an instant (wall-clock
    times in `zone` as _dotnet reads them; a time in a clock change's gap goes value by value)."""
    parts = pc.extract_regex(strings, _DOTNET_GROUPS)
    if parts.null_count != strings.null_count:
        return None  # a value that is no .NET date: value by value names it
    moments = pc.struct_field(parts, "ms").cast(pa.int64()).cast(pa.timestamp("ms"))
    if data_type == "date":
        return moments.cast(pa.date32())
    if wire.dotnet_dates == "wall":
        moments = pc.assume_timezone(moments, timezone=wire.zone, ambiguous="earliest",
                                     nonexistent="raise")
    else:
        moments = pc.assume_timezone(moments, timezone="UTC")
    return moments.cast(ARROW_TYPES["timestamp"])


def _formatted_column(strings: pa.Array, data_type: str, wire: WireFormat) -> pa.Array:
    """Dates and times in the provider's strptime format through Arrow."""
    if data_type == "date":
        return pc.strptime(strings, format=wire.date_format, unit="s").cast(pa.date32())
    moments = pc.strptime(strings, format=wire.timestamp_format, unit="s")
    moments = pc.assume_timezone(moments, timezone=wire.zone, ambiguous="earliest",
                                 nonexistent="raise")
    return moments.cast(ARROW_TYPES["timestamp"])


def _fast_column(values: Sequence[Any], data_type: str, wire: WireFormat) -> pa.Array | None:
    """The column converted by Arrow in one call when its values allow it, else None."""
    kinds = _FAST_TYPES.get(data_type)
    if kinds is None:
        return None
    types = set(map(type, values))
    types.discard(_NONE)
    if not types <= kinds:  # bool is not an int here
        return None
    try:
        if data_type == "text":
            strings = pa.array(values, pa.string())
            return _nulls_for_empty(strings) if wire.empty_text_is_null else strings
        if data_type not in ("decimal", "date", "timestamp"):
            return pa.array(values, ARROW_TYPES[data_type])
        if types <= {str}:
            strings = pa.array(values, pa.string())
        else:
            strings = pa.array([None if value is None else str(value) for value in values],
                               pa.string())
        strings = _nulls_for_empty(strings)
        if data_type == "decimal":
            return strings.cast(ARROW_TYPES["decimal"])
        if (wire.date_format if data_type == "date" else wire.timestamp_format):
            return _formatted_column(strings, data_type, wire)
        if wire.dotnet_dates and (wire.dotnet_only or pc.any(
                pc.starts_with(strings, "/Date(")).as_py()):
            return _dotnet_column(strings, data_type, wire)
        if data_type == "timestamp" and not wire.timestamps_need_zone and wire.zone != "UTC":
            return None  # zone-less times are wall-clock times: value by value
        return strings.cast(ARROW_TYPES[data_type])
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return None


def typed_column(field: str, values: Sequence[Any], data_type: str,
                 wire: WireFormat = DEFAULT_WIRE) -> pa.Array:
    """A column of raw values as an Arrow array of the declared type; FieldError for the first
    value that is not one."""
    if wire.false_is_null and data_type != "bool":
        values = [None if value is False else value for value in values]
    if wire.pairs_are_ids and data_type == "bigint":
        values = [value[0] if _is_pair(value) else value for value in values]
    fast = _fast_column(values, data_type, wire)
    if fast is not None:
        return fast
    return pa.array([parse_value(field, value, data_type, wire) for value in values],
                    ARROW_TYPES[data_type])


def field_values(records: Sequence[Mapping[str, Any]], field: str) -> list[Any]:
    """One field of every record; a dotted field reads a nested object (`MetaData.CreateTime`)."""
    if "." not in field or (records and field in records[0]):
        try:
            return list(map(itemgetter(field), records))  # every record has it: a C loop
        except KeyError:
            return [record.get(field) for record in records]
    path = field.split(".")
    values = []
    for record in records:
        value: Any = record
        for step in path:
            value = value.get(step) if isinstance(value, Mapping) else None
        values.append(value)
    return values


def typed_rows(records: Sequence[Mapping[str, Any]], columns: Mapping[str, str],
               wire: WireFormat = DEFAULT_WIRE) -> list[dict[str, Any]]:
    """Records typed as the engine types a page (each declared field a whole column), as rows
    keyed by API field, a json field read back from the text it is stored as: for code that
    wants typed values rather than an Arrow table."""
    typed = {name: typed_column(name, field_values(records, name), data_type, wire).to_pylist()
             for name, data_type in columns.items()}
    for name, data_type in columns.items():
        if data_type == "json":
            typed[name] = [None if text is None else json.loads(text) for text in typed[name]]
    return [dict(zip(typed, values)) for values in zip(*typed.values())]
