"""Cells as NL/BE exports write them: numbers, decimal marks, dates, yes/no, header names."""

from datetime import date
from decimal import Decimal

import pytest

from monitr_pipeline.providers.csv_import.problems import CellError
from monitr_pipeline.providers.csv_import.values import (
    decimal_mark_evidence,
    detect_decimal_mark,
    normalise,
    parse_bool,
    parse_date,
    parse_decimal,
)


@pytest.mark.parametrize(("text", "mark", "expected"), [
    ("1.234,56", ",", "1234.56"),
    ("-1.234,56", ",", "-1234.56"),
    ("1.234,56-", ",", "-1234.56"),  # trailing minus (some Dutch packages)
    ("(12,50)", ",", "-12.50"),
    ("€ 1.000", ",", "1000.00"),
    ("1 234,5", ",", "1234.50"),
    ("0,5", ",", "0.50"),
    (",5", ",", "0.50"),
    ("1,234.56", ".", "1234.56"),
    ("1234.56", ".", "1234.56"),
    ("+7", ".", "7.00"),
    ("12.345.678,90", ",", "12345678.90"),
])
def test_numbers_with_either_decimal_mark(text, mark, expected):
    assert parse_decimal(text, mark, 2) == Decimal(expected)


@pytest.mark.parametrize(("text", "mark", "reason"), [
    ("12,3x", ",", "is not a number"),
    ("1.23,45", ",", "misplaced '.'"),
    ("1,5", ".", "misplaced ','"),
    ("1,234", ".", None),  # grouped thousands: valid
    ("12,345", ",", "more than 2 decimals"),
    ("abc", ",", "is not a number"),
    ("1-2", ",", "is not a number"),
])
def test_bad_numbers_say_why(text, mark, reason):
    if reason is None:
        assert parse_decimal(text, mark, 2) == Decimal("1234.00")
        return
    with pytest.raises(CellError, match=reason):
        parse_decimal(text, mark, 2)


def test_decimal_mark_evidence_and_detection():
    assert decimal_mark_evidence("1.234,56") == ","
    assert decimal_mark_evidence("1,234.56") == "."
    assert decimal_mark_evidence("12,5") == ","
    assert decimal_mark_evidence("12.50") == "."
    assert decimal_mark_evidence("1.234.567") == ","
    assert decimal_mark_evidence("1.234") is None  # thousands or three decimals: cannot tell
    assert decimal_mark_evidence("1234") is None
    assert detect_decimal_mark(["1234", "1.234", "5,25"], ".") == (",", None)
    assert detect_decimal_mark(["1234", "1.234"], ",") == (",", None)  # fallback
    mark, conflict = detect_decimal_mark(["5,25", "7.50"], ",")
    assert "mixed" in conflict and "'5,25'" in conflict and "'7.50'" in conflict


@pytest.mark.parametrize(("text", "expected"), [
    ("31-01-2026", date(2026, 1, 31)),
    ("1-2-2026", date(2026, 2, 1)),
    ("01/02/2026", date(2026, 2, 1)),  # day first, never month first
    ("01.02.2026", date(2026, 2, 1)),
    ("2026-02-01", date(2026, 2, 1)),
    ("2026-02-01 00:00:00", date(2026, 2, 1)),  # Excel's date-time cells
    ("2026-02-01T00:00:00", date(2026, 2, 1)),
    ("20260201", date(2026, 2, 1)),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("31-02-2026", "not an existing date"),
    ("01-02-26", "two-digit year"),
    ("2026/02/01", "is not a date"),
    ("februari 2026", "is not a date"),
    ("01-02-2026-", "is not a date"),
])
def test_bad_dates_say_why(text, reason):
    with pytest.raises(CellError, match=reason):
        parse_date(text)


def test_yes_no_in_three_languages():
    assert [parse_bool(v) for v in ("ja", "Oui", "TRUE", "1", "x")] == [True] * 5
    assert [parse_bool(v) for v in ("nee", "non", "false", "0", "N")] == [False] * 5
    with pytest.raises(CellError, match="is not yes/no"):
        parse_bool("misschien")


def test_header_names_compare_without_case_accents_or_punctuation():
    assert normalise("N° pièce") == "n piece"
    assert normalise("  Btw-code ") == "btw code"
    assert normalise("Balans/W&V") == "balans w v"
    assert normalise("Débit") == "debit"
