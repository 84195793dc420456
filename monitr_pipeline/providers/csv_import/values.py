"""Reading cells as Dutch and Belgian exports write them: decimal commas or points, dd-mm-yyyy or
ISO dates, ja/nee booleans. Every reader raises CellError with the reason a user can act on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from monitr_pipeline.providers.csv_import.problems import CellError

# Thousands may be grouped with the other mark, a space, a no-break space or an apostrophe.
_GROUPING = (" ", "\u00a0", "\u202f", "'")
_CURRENCY_SIGNS = ("€", "EUR")
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_DATE = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$")
_DAY_FIRST = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}){_TIME}$")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}([-/.])\d{1,2}\1\d{2}$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

_TRUE = {"1", "true", "yes", "y", "ja", "j", "waar", "oui", "x"}
_FALSE = {"0", "false", "no", "n", "nee", "onwaar", "non"}


def normalise(text: str) -> str:
    """Lower case, accents off, anything but letters and digits one space: 'N° pièce' -> 'n piece'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded.lower()).split())


def _bare_number(text: str) -> tuple[str, int]:
    """The digits and marks of a number, and its sign: '-1.234,56', '1.234,56-', '(12,00)', '€ 5'."""
    value = text.strip()
    sign = 1
    if value.startswith("(") and value.endswith(")"):
        value, sign = value[1:-1].strip(), -1
    for symbol in _CURRENCY_SIGNS:
        value = value.replace(symbol, "")
    value = value.strip()
    if value.endswith("-"):  # some Dutch packages put the minus behind the amount
        value, sign = value[:-1].strip(), -sign
    elif value.startswith("-"):
        value, sign = value[1:].strip(), -sign
    elif value.startswith("+"):
        value = value[1:].strip()
    for mark in _GROUPING:
        value = value.replace(mark, "")
    return value, sign


def decimal_mark_evidence(text: str) -> str | None:
    """',' or '.' when this value shows which mark is the decimal one; None when it cannot tell
    ('1234', and '1.234' or '1,234', which may be grouped thousands or three decimals)."""
    value, _ = _bare_number(text)
    commas, points = value.count(","), value.count(".")
    if commas and points:
        return "," if value.rfind(",") > value.rfind(".") else "."
    for mark, count, other in ((",", commas, "."), (".", points, ",")):
        if count > 1:
            return other  # repeated: it groups thousands
        if count == 1 and len(value) - value.index(mark) - 1 != 3:
            return mark
    return None


def detect_decimal_mark(values: Iterable[str], fallback: str) -> tuple[str, str | None]:
    """The file's decimal mark from its number cells, and a conflicting example if marks disagree."""
    seen: dict[str, str] = {}
    for text in values:
        mark = decimal_mark_evidence(text)
        if mark and mark not in seen:
            seen[mark] = text
    if len(seen) == 2:
        return fallback, f"decimal commas ({seen[',']!r}) and decimal points ({seen['.']!r}) are mixed"
    return (next(iter(seen)) if seen else fallback), None


def parse_decimal(text: str, decimal_mark: str, max_decimals: int) -> Decimal:
    value, sign = _bare_number(text)
    group_mark = "." if decimal_mark == "," else ","
    whole, _, fraction = value.partition(decimal_mark)
    if group_mark in whole:
        groups = whole.split(group_mark)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise CellError(f"{text!r} is not a number (misplaced {group_mark!r}; this file uses "
                            f"{decimal_mark!r} as decimal mark)")
        whole = "".join(groups)
    if not whole.isdigit() and not (whole == "" and fraction.isdigit()):
        raise CellError(f"{text!r} is not a number")
    if fraction and not fraction.isdigit():
        raise CellError(f"{text!r} is not a number")
    if len(fraction) > max_decimals:
        raise CellError(f"{text!r} has more than {max_decimals} decimals")
    try:
        return sign * Decimal(f"{whole or '0'}.{fraction or '0'}").quantize(Decimal(1).scaleb(-max_decimals))
    except InvalidOperation:
        raise CellError(f"{text!r} is not a number") from None


def parse_int(text: str) -> int:
    value = text.strip()
    if not re.fullmatch(r"[+-]?\d+", value):
        raise CellError(f"{text!r} is not a whole number")
    return int(value)


def parse_date(text: str) -> date:
    """dd-mm-yyyy (also / or .), yyyy-mm-dd and yyyymmdd; a time part (Excel's 00:00:00) is ignored.
    Day-first is the only reading of n-n-yyyy: NL and BE never write the month first."""
    value = text.strip()
    if match := _ISO_DATE.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.match(value):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    elif match := _COMPACT_DATE.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif _TWO_DIGIT_YEAR.match(value):
        raise CellError(f"{text!r} has a two-digit year; write dd-mm-yyyy or yyyy-mm-dd")
    else:
        raise CellError(f"{text!r} is not a date (dd-mm-yyyy or yyyy-mm-dd)")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"{text!r} is not an existing date") from None


def parse_bool(text: str) -> bool:
    value = normalise(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f"{text!r} is not yes/no (ja/nee, oui/non, true/false, 1/0)")


def parse_choice(text: str, synonyms: dict[str, str], what: str) -> str:
    """One of a field's canonical values, from any of its synonyms (compared normalised)."""
    value = normalise(text)
    if value in synonyms:
        return synonyms[value]
    accepted = ", ".join(sorted(set(synonyms.values())))
    raise CellError(f"{text!r} is not a known {what} (accepted: {accepted}, or a synonym)")


def format_amount(amount: Decimal) -> str:
    return f"{amount:.2f}"
