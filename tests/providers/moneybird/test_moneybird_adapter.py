"""Moneybird's wire quirks: typed values, request parameters, pages, the synchronization API,
quota pauses and error bodies."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import requests

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.oauth import RefreshingBearerAuth, normalise_token
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.values import FieldError, typed_rows
from monitr_pipeline.ingestion.source import EndpointReader
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.moneybird import ADAPTER, SPEC
from monitr_sandbox.moneybird import SANDBOX_ADMINISTRATIONS

STUDIO = SANDBOX_ADMINISTRATIONS[0].id
ENTITY = EntityContext(1, 1, STUDIO, "moneybird:1", SANDBOX_ADMINISTRATIONS[0].name)


def _typed(endpoint, records: list[dict]) -> list[dict]:
    """Records typed as the engine types a page, in the provider's wire format."""
    return typed_rows(records, endpoint.columns, SPEC.wire)


def _row(endpoint, record: dict) -> dict:
    return _typed(endpoint, [record])[0]


def _reader(client, endpoint) -> EndpointReader:
    return EndpointReader(ADAPTER, client, ImportRunContext(ENTITY), endpoint)


def _response(status: int, body: bytes = b"", headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return response


def test_values_are_typed_ids_stay_text_and_times_are_utc():
    mutations = SPEC.endpoint("financial_mutations")
    row = _row(mutations, {
        "id": 496081462750086971, "administration_id": "123", "amount": "-95.5", "date": "2026-08-21",
        "version": 1787320171, "created_at": "2026-08-21T13:49:31.590Z",
        "processed_at": "2026-08-21T15:49:31+02:00", "payments": [], "amount_open": "0.0",
        "ledger_account_bookings": [{"price": "95.5", "ledger_account_id": "7"}],
    })
    assert row["id"] == "496081462750086971" and row["administration_id"] == "123"
    assert row["amount"] == Decimal("-95.5") and row["date"] == date(2026, 8, 21)
    assert row["created_at"] == datetime(2026, 8, 21, 13, 49, 31, 590000, tzinfo=UTC)
    assert row["processed_at"] == datetime(2026, 8, 21, 13, 49, 31, tzinfo=UTC)
    assert row["ledger_account_bookings"] == [{"price": "95.5", "ledger_account_id": "7"}]
    assert row["payments"] == [] and row["message"] is None


@pytest.mark.parametrize("field, value", [
    ("amount", "12,50"), ("amount", True), ("date", "21-08-2026"), ("created_at", "2026-08-21T13:49"),
    ("version", "v3"), ("id", {"id": 1}), ("payments", "none"),
])
def test_a_bad_value_names_its_field(field, value):
    with pytest.raises(FieldError, match=repr(field)):
        _row(SPEC.endpoint("financial_mutations"), {"id": "1", field: value})


def test_request_parameters():
    def request_params(endpoint):
        return endpoint_request(SPEC, endpoint, STUDIO).params

    assert request_params(SPEC.endpoint("projects")) == {"filter": "state:all",
                                                         "per_page": 100}
    assert request_params(SPEC.endpoint("assets")) == {"per_page": 100}
    assert request_params(SPEC.endpoint("ledger_accounts")) == {}  # not paginated
    for endpoint in SPEC.endpoints:
        if endpoint.cursor:  # synchronization lists: every period, not this year's default
            assert endpoint.params["filter"].startswith("period:20000101..")
            assert endpoint.path.endswith("/synchronization.json")
    assert ADAPTER.tenant_base_url("https://moneybird.com", STUDIO) == \
        f"https://moneybird.com/api/v2/{STUDIO}/"


def test_pages_follow_link_headers(client, moneybird):
    projects = SPEC.endpoint("projects")
    pages = list(_reader(client, projects).declared_pages(endpoint=replace(projects, page_size=4)))
    assert [len(page) for page in pages] == [4, 2]
    assert [p["name"] for page in pages for p in page] == [p["name"] for p in
                                                           moneybird.books(STUDIO).projects()]


def test_administrations_table_keeps_the_administration_of_the_path(client):
    [page] = _reader(client, SPEC.endpoint("administrations")).declared_pages()
    assert [a["id"] for a in page] == [STUDIO]


def test_assets_are_read_active_and_inactive_once_each(client, moneybird):
    assets = SPEC.endpoint("assets")
    rows = [row for page in _reader(client, assets).declared_pages() for row in page]
    assert sorted(a["id"] for a in rows) == sorted(a["id"] for a in moneybird.books(STUDIO).assets())
    calls = [query for _, path, query in moneybird.request_log if path.endswith("/assets.json")]
    assert calls == ["per_page=100&active=true", "per_page=100&active=false"]


def test_versions_then_documents_by_id(client, moneybird):
    invoices = SPEC.endpoint("sales_invoices")
    reader = _reader(client, invoices)
    versions = [item for page in reader.declared_versions() for item in page]
    books = moneybird.books(STUDIO)
    assert {v["id"] for v in versions} == set(books.documents("sales_invoices"))  # both years
    assert all(isinstance(v["id"], str) and isinstance(v["version"], int) for v in versions)
    keys = [v["id"] for v in versions[:3]]
    [page] = reader.declared_records(keys)
    assert [d["id"] for d in page] == keys
    assert moneybird.request_log[-1][:2] == ("POST", f"/api/v2/{STUDIO}/{invoices.path}")


def test_a_synchronization_item_without_id_is_malformed(client, moneybird):
    moneybird.inject_fault("sales_invoices/synchronization", 200, body='[{"version": 3}]')
    with pytest.raises(ValueError, match="without id"):
        list(_reader(client, SPEC.endpoint("sales_invoices")).declared_versions())


def test_discover_lists_the_login_s_administrations(served, auth):
    session = requests.Session()
    session.auth = auth
    found = ADAPTER.discover(session, served)
    assert [(a.external_id, a.name, a.country, a.currency) for a in found] == [
        (a.id, a.name, "NL", "EUR") for a in SANDBOX_ADMINISTRATIONS]


@pytest.mark.parametrize("body, reason", [
    (b'{"error": "No access to bank"}', "No access to bank"),
    (b'{"error": "record not found", "symbolic": {"administration_id": "not_found"}}',
     "record not found (administration_id: not_found)"),
    (b'{"error": {"name": ["has already been taken"]}}', "name: has already been taken"),
    (b'{"errors": ["File is required"]}', "File is required"),
    (b'"Retry later"', "Retry later"),
    (b"Retry later", "Retry later"),
])
def test_error_reasons(body, reason):
    assert ADAPTER.error_reason(_response(400, body)) == reason


@pytest.mark.parametrize("status, body, gone", [
    (404, b'{"error": "record not found", "symbolic": {"administration_id": "not_found"}}', True),
    (404, b'{"error": "Record not found for model name: asset"}', False),
    (401, b'{"error": "The access token is invalid, expired or revoked"}', False),
])
def test_only_a_missing_administration_reads_as_gone(status, body, gone):
    response = _response(status, body)
    error = ProviderError("failed", status=status, reason=ADAPTER.error_reason(response))
    assert ADAPTER.administration_gone(error) is gone


def test_pause_only_when_the_window_is_spent():
    reset = str(int(time.time()) + 40)
    assert ADAPTER.seconds_to_wait(_response(200, headers={"RateLimit-Remaining": "3",
                                                           "RateLimit-Reset": reset})) == 0
    wait = ADAPTER.seconds_to_wait(_response(200, headers={"RateLimit-Remaining": "0",
                                                           "RateLimit-Reset": reset}))
    assert 38 <= wait <= 40
    assert ADAPTER.seconds_to_wait(_response(200)) == 0
    assert ADAPTER.seconds_to_wait(_response(200, headers={"RateLimit-Remaining": "x"})) == 0


def test_a_token_without_expiry_is_used_until_moneybird_rejects_it():
    token = normalise_token({"access_token": "a", "token_type": "bearer", "refresh_token": "r",
                             "scope": "sales_invoices documents bank settings", "created_at": 1})
    assert RefreshingBearerAuth._fresh(token)
