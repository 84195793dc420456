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


EXACT_ONLY = WireFormat(dotnet_dates="wall", zone="Europe/Amsterdam", dotnet_only=True)
ODOO = WireFormat(false_is_null=True, pairs_are_ids=True)
TWINFIELD = WireFormat(zone="Europe/Amsterdam", date_format="%Y%m%d",
                       timestamp_format="%Y%m%d%H%M%S")


@pytest.mark.parametrize("wire, data_type, values", [
    # Summer, winter, the hour that happens twice (its first time, as a zone-less reading gives).
    (EXACT, "timestamp", ["/Date(1751328000000)/", "/Date(1735689600000)/", None,
                          "/Date(1730000000000)/", "/Date(1729990800000)/"]),
    (EXACT, "date", ["/Date(1751328000000)/", None, "/Date(-86400000)/"]),
    (XERO, "timestamp", ["/Date(1573755038314+0000)/", "/Date(1573755038314+1300)/", None]),
    (TWINFIELD, "date", ["20250101", "", "20241231", None]),
    (TWINFIELD, "timestamp", ["20250701120000", "20250101000000", "20241027023000", ""]),
])
def test_provider_formats_in_whole_columns_equal_the_reference(wire, data_type, values):
    assert typed_column("f", values, data_type, wire).to_pylist() == [
        parse_value("f", value, data_type, wire) for value in values]


def test_twinfield_writes_dates_and_wall_clock_times_of_its_own():
    assert typed_column("date", ["20250701"], "date", TWINFIELD).to_pylist() == [date(2025, 7, 1)]
    assert typed_column("modified", ["20250701120000"], "timestamp", TWINFIELD
                        ).to_pylist() == [datetime(2025, 7, 1, 10, 0, tzinfo=UTC)]
    with pytest.raises(FieldError, match="'date'"):
        typed_column("date", ["2025-07-01"], "date", TWINFIELD)


def test_where_every_date_is_dotnet_iso_text_is_an_error():
    with pytest.raises(FieldError, match="'Date'"):
        typed_column("Date", ["/Date(1751328000000)/", "2025-07-01"], "date", EXACT_ONLY)
    with pytest.raises(FieldError, match="'Modified'"):
        typed_column("Modified", ["2025-07-01T00:00:00"], "timestamp", EXACT_ONLY)


def test_odoo_false_is_no_value_and_a_many2one_pair_is_its_id():
    assert typed_column("partner_id", [[7, "Acme"], False, 8, None], "bigint", ODOO
                        ).to_pylist() == [7, None, 8, None]
    assert typed_column("ref", [False, "x"], "text", ODOO).to_pylist() == [None, "x"]
    assert typed_column("reconciled", [False, True], "bool", ODOO).to_pylist() == [False, True]
    with pytest.raises(FieldError, match="'partner_id'"):
        typed_column("partner_id", [[7, "Acme", "?"]], "bigint", ODOO)
    with pytest.raises(FieldError, match="'partner_id'"):
        typed_column("partner_id", [False], "bigint")  # false is a value elsewhere: not an id


def test_already_typed_values_are_taken_as_they_are():
    # The CSV reader types its cells itself.
    assert typed_column("d", [date(2026, 1, 2), None], "date").to_pylist() == [date(2026, 1, 2), None]
    assert typed_column("a", [Decimal("12.30"), None], "decimal").to_pylist() == [
        Decimal("12.300000000"), None]
    assert typed_column("t", [datetime(2026, 1, 2, 12, tzinfo=UTC)], "timestamp").to_pylist() == [
        datetime(2026, 1, 2, 12, tzinfo=UTC)]
    assert parse_value("t", datetime(2025, 7, 1, 12), "timestamp", TWINFIELD) == datetime(
        2025, 7, 1, 10, tzinfo=UTC)


def test_a_json_field_holds_an_object_or_array_not_text():
    assert typed_column("j", [[1], {"a": "é"}, None], "json").to_pylist() == [
        "[1]", '{"a":"é"}', None]
    with pytest.raises(FieldError, match="JSON object or array"):
        typed_column("j", ["none"], "json")
