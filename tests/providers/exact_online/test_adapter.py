"""Exact's wire quirks: dates in Amsterdam wall time, sync filters, quota pauses, error bodies."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import requests

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.values import FieldError, typed_rows
from monitr_pipeline.providers.exact_online import SPEC, ExactOnlineAdapter

adapter = ExactOnlineAdapter()


def _typed(endpoint, records: list[dict]) -> list[dict]:
    """Records typed as the engine types a page, in the provider's wire format."""
    return typed_rows(records, endpoint.columns, SPEC.wire)


def _row(endpoint, record: dict) -> dict:
    return _typed(endpoint, [record])[0]


def _response(status: int, body: bytes = b"", headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return response


def test_dates_are_amsterdam_wall_time():
    lines = SPEC.endpoint("gl_transaction_lines")
    # 2025-07-01 00:00 written as if UTC: the booking date is 1 July, whatever the zone.
    row = _row(lines, {"ID": "a", "Date": "/Date(1751328000000)/",
                                    "Modified": "/Date(1751328000000)/", "AmountDC": 12.5})
    assert row["Date"] == date(2025, 7, 1)
    # Summer time: Amsterdam midnight is 22:00 UTC the day before.
    assert row["Modified"] == datetime(2025, 6, 30, 22, 0, tzinfo=UTC)
    assert row["AmountDC"] == Decimal("12.5")
    winter = _row(lines, {"ID": "a", "Modified": "/Date(1735689600000)/"})
    assert winter["Modified"] == datetime(2024, 12, 31, 23, 0, tzinfo=UTC)


def test_bad_field_names_the_field():
    lines = SPEC.endpoint("gl_transaction_lines")
    with pytest.raises(FieldError, match="'AmountDC'"):
        _row(lines, {"ID": "a", "AmountDC": "twelve"})
    with pytest.raises(FieldError, match="'Date'"):
        _row(lines, {"ID": "a", "Date": "2025-07-01"})


def test_sync_endpoints_filter_on_timestamp_and_select_fields():
    lines = SPEC.endpoint("gl_transaction_lines")
    request = endpoint_request(SPEC, lines, "123", 1234)
    params = request.params
    assert params["$filter"] == "Timestamp gt 1234L"
    assert params["$select"].split(",") == list(lines.columns)
    assert endpoint_request(SPEC, lines, "123", adapter.initial_cursor(lines)).params[
        "$filter"] == "Timestamp gt 1L"
    standard = endpoint_request(SPEC, SPEC.endpoint("cost_centers"), "123").params
    assert "$filter" not in standard
    divisions = endpoint_request(SPEC, SPEC.endpoint("divisions"), "123").params
    assert divisions["$filter"] == "Code eq 123"


def test_classification_mappings_are_read_in_full_with_their_fields_selected():
    """Exact refuses GLAccountClassificationMappings without $select; it has no sync twin, so no
    filter, and a division without RGS must not stop the import."""
    mappings = SPEC.endpoint("gl_account_classification_mappings")
    params = endpoint_request(SPEC, mappings, "123").params
    assert params["$select"].split(",") == list(mappings.columns)
    assert "$filter" not in params
    assert mappings.optional and mappings.page_size == 60
    assert {"GLAccount", "ClassificationCode", "GLSchemeCode"} <= set(mappings.columns)


def test_pauses_when_minutely_quota_is_spent(monkeypatch):
    monkeypatch.setattr("time.time", lambda: 1000.0)
    spent = _response(200, headers={"X-RateLimit-Minutely-Remaining": "0",
                                    "X-RateLimit-Minutely-Reset": "1012000"})
    assert adapter.seconds_to_wait(spent) == pytest.approx(12.0)
    left = _response(200, headers={"X-RateLimit-Minutely-Remaining": "5",
                                   "X-RateLimit-Minutely-Reset": "1012000"})
    assert adapter.seconds_to_wait(left) == 0.0


def test_error_reason_reads_exact_error_shape():
    body = b'{"error":{"code":"","message":{"lang":"","value":"Forbidden"}}}'
    response = _response(403, body, {"Reason": "NoDivisionAccess"})
    assert adapter.error_reason(response) == "Forbidden (NoDivisionAccess)"


def test_tenant_url_puts_division_in_path():
    assert adapter.tenant_base_url("https://start.exactonline.be", "240101") == \
        "https://start.exactonline.be/api/v1/240101/"
    assert adapter.base_url("be", None) == "https://start.exactonline.be"
    assert adapter.base_url("nl", "http://127.0.0.1:9/") == "http://127.0.0.1:9"
