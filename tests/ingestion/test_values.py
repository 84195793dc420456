"""The one typed-value parser: a column at a time through Arrow, value by value for the rest, and
the same answer both ways; a bad value named by field."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from monitr_pipeline.ingestion.values import (
    FieldError,
    WireFormat,
    field_values,
    parse_value,
    typed_column,
)

EXACT = WireFormat(dotnet_dates="wall", zone="Europe/Amsterdam")
XERO = WireFormat(dotnet_dates="utc")
MONEYBIRD = WireFormat(timestamps_need_zone=True, empty_text_is_null=False)


@pytest.mark.parametrize("data_type, values", [
    ("decimal", [12.3, -0.1, 5, "7.25", "-1210.0", None]),
    ("bigint", [1, 2, None, 3]),
    ("text", ["a", "b", None]),
    ("date", ["2026-01-02", None, "2025-12-31"]),
    ("timestamp", ["2026-08-21T13:49:31.590Z", "2026-08-21T13:49:31+02:00", None]),
    ("bool", [True, False, None]),
])
def test_whole_columns_equal_the_value_by_value_reference(data_type, values):
    column = typed_column("f", values, data_type).to_pylist()
    reference = [parse_value("f", value, data_type) for value in values]
    if data_type == "decimal":
        reference = [None if v is None else v.quantize(Decimal("0.000000001")) for v in reference]
    assert column == reference


def test_dotnet_dates_are_wall_time_for_exact_and_instants_for_xero():
    # 2025-07-01 00:00 written as if UTC: Amsterdam midnight in summer is 22:00 UTC the day before.
    assert typed_column("Modified", ["/Date(1751328000000)/"], "timestamp", EXACT
                        ).to_pylist() == [datetime(2025, 6, 30, 22, 0, tzinfo=UTC)]
    assert typed_column("Date", ["/Date(1751328000000)/"], "date", EXACT
                        ).to_pylist() == [date(2025, 7, 1)]
    assert parse_value("At", "/Date(1751328000000+0200)/", "timestamp", XERO
                       ) == datetime(2025, 7, 1, tzinfo=UTC)


@pytest.mark.parametrize("data_type, bad", [
    ("decimal", "10,95"), ("decimal", True), ("bigint", 1.5), ("bigint", "12a"),
    ("date", "01-02-2026"), ("bool", "yes"), ("json", 12), ("text", {"a": 1}),
])
def test_a_bad_value_names_its_field(data_type, bad):
    with pytest.raises(FieldError, match=r"field 'amount': .* is not a valid"):
        typed_column("amount", [None, bad], data_type)


def test_a_timestamp_without_its_zone_is_an_error_where_the_provider_always_sends_one():
    with pytest.raises(FieldError):
        typed_column("updated_at", ["2026-08-21T13:49:31"], "timestamp", MONEYBIRD)
    assert parse_value("at", "2026-08-21T13:49:31", "timestamp") == datetime(
        2026, 8, 21, 13, 49, 31, tzinfo=UTC)


def test_empty_text_is_no_value_unless_the_provider_means_it():
    assert typed_column("t", ["", "x"], "text").to_pylist() == [None, "x"]
    assert typed_column("t", ["", "x"], "text", MONEYBIRD).to_pylist() == ["", "x"]
    assert typed_column("n", ["", 1], "bigint").to_pylist() == [None, 1]


def test_dotted_fields_read_nested_objects():
    records = [{"MetaData": {"CreateTime": "x"}}, {"MetaData": None}, {}]
    assert field_values(records, "MetaData.CreateTime") == ["x", None, None]
