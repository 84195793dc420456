"""Xero's wire quirks: .NET dates, nested records, the tenant header, paging, quotas, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter

from monitr_pipeline.ingestion.http import quota_pause_hook, rest_client
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.values import parse_value, typed_rows
from monitr_pipeline.ingestion.source import EndpointReader
from monitr_pipeline.providers.xero import SPEC, XeroAdapter

adapter = XeroAdapter()
BASE = "http://xero.test"
TENANT = "8d0a8c7e-7a47-4d1e-9b1a-1f7f2d8e3c11"
ENTITY = EntityContext(1, 1, TENANT, "xero:1", "Demo BV")


def _typed(endpoint, records: list[dict]) -> list[dict]:
    """Records typed as the engine types a page, in the provider's wire format."""
    return typed_rows(records, endpoint.columns, SPEC.wire)


def _row(endpoint, record: dict) -> dict:
    return _typed(endpoint, [record])[0]


def parse_timestamp(value: str) -> datetime:
    return parse_value("at", value, "timestamp", SPEC.wire)


def parse_date(value: str) -> date:
    return parse_value("on", value, "date", SPEC.wire)


def _response(status: int, body: bytes | str = b"", headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body.encode() if isinstance(body, str) else body
    response.headers.update(headers or {})
    return response


class Scripted(BaseAdapter):
    """A transport that answers from a function of the request and records what was sent."""

    def __init__(self, answer: Callable[[requests.PreparedRequest], tuple[int, object]]):
        super().__init__()
        self.answer, self.sent = answer, []

    def send(self, request, **kwargs):  # noqa: ANN001 - requests' transport signature
        self.sent.append(request)
        status, body = self.answer(request)
        response = _response(status, json.dumps(body), {"Content-Type": "application/json"})
        response.request, response.url = request, request.url
        return response

    def close(self) -> None:
        pass


def _read(table: str, answer, cursor=None) -> tuple[list[dict], Scripted]:
    transport = Scripted(answer)
    session = requests.Session()
    session.mount(BASE, transport)
    client = rest_client(adapter, adapter.tenant_base_url(BASE, TENANT), None, session=session,
                         headers=adapter.tenant_headers(TENANT))
    endpoint = SPEC.endpoint(table)
    if cursor is None:
        cursor = adapter.initial_cursor(endpoint)
    reader = EndpointReader(adapter, client, ImportRunContext(ENTITY), endpoint)
    rows = [row for page in reader.declared_pages(cursor) for row in _typed(endpoint, page)]
    return rows, transport


def _query(request: requests.PreparedRequest) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(request.url).query))


def _journal(number: int, lines: int = 2) -> dict:
    return {"JournalID": f"j{number}", "JournalNumber": number,
            "JournalDate": "/Date(1751328000000+0000)/", "SourceType": "ACCREC",
            "CreatedDateUTC": "/Date(1751371200000+0000)/",
            "JournalLines": [{"JournalLineID": f"j{number}-{i}", "AccountCode": "200",
                              "NetAmount": 10.0 if i % 2 else -10.0, "TrackingCategories": []}
                             for i in range(1, lines + 1)]}


# --- values ---------------------------------------------------------------------------------------
def test_dotnet_dates_are_utc_instants_whatever_their_offset():
    assert parse_timestamp("/Date(1573755038314+0000)/") == datetime(2019, 11, 14, 18, 10, 38,
                                                                     314000, tzinfo=UTC)
    assert parse_timestamp("/Date(1573755038314)/") == parse_timestamp("/Date(1573755038314+1300)/")
    # A JournalDate is midnight UTC: the date is that UTC date, not shifted by a zone.
    assert parse_date("/Date(1751328000000+0000)/") == date(2025, 7, 1)
    assert parse_date("2015-07-01T00:00:00") == date(2015, 7, 1)  # the Assets API's form
    assert parse_timestamp("2020-02-06T12:17:43.202-08:00") == datetime(2020, 2, 6, 20, 17, 43,
                                                                        202000, tzinfo=UTC)


def test_a_bad_field_is_named():
    lines = SPEC.endpoint("journal_lines")
    with pytest.raises(ValueError, match="'NetAmount'"):
        _row(lines, {"JournalLineID": "a", "NetAmount": "12,50"})
    with pytest.raises(ValueError, match="'JournalDate'"):
        _row(lines, {"JournalLineID": "a", "JournalDate": "1 juli"})
    with pytest.raises(ValueError, match="'JournalNumber'"):
        _row(lines, {"JournalLineID": "a", "JournalNumber": 1.5})
    row = _row(lines, {"JournalLineID": "a", "NetAmount": 1234.57, "Description": ""})
    assert row["NetAmount"] == Decimal("1234.57") and row["Description"] is None


# --- requests and pages -------------------------------------------------------------------------
def test_journals_page_by_offset_with_the_tenant_header():
    def answer(request):
        offset = int(_query(request)["offset"])
        return 200, {"Journals": [_journal(n) for n in range(offset + 1, min(offset + 100, 230) + 1)]}

    rows, transport = _read("journal_lines", answer, cursor=0)
    assert [_query(r)["offset"] for r in transport.sent] == ["0", "100", "200"]
    assert all(r.headers["Xero-Tenant-Id"] == TENANT for r in transport.sent)
    assert all(r.headers["Accept"] == "application/json" for r in transport.sent)
    assert all("tenant" not in r.url.lower() for r in transport.sent)  # a header, not a parameter
    assert len(rows) == 2 * 230 and rows[-1]["JournalNumber"] == 230
    first = rows[0]
    assert first["JournalLineID"] == "j1-1" and first["LineNumber"] == 1
    assert first["JournalDate"] == date(2025, 7, 1) and first["SourceType"] == "ACCREC"
    assert first["CreatedDateUTC"] == datetime(2025, 7, 1, 12, 0, tzinfo=UTC)


def test_the_journal_cursor_continues_after_the_last_number():
    rows, transport = _read("journal_lines", lambda r: (200, {"Journals": []}), cursor=4711)
    assert rows == [] and _query(transport.sent[0])["offset"] == "4711"


def test_tracking_categories_become_two_slots_and_more_is_an_error():
    journal = _journal(1)
    journal["JournalLines"][0]["TrackingCategories"] = [
        {"Name": "Region", "Option": "North", "TrackingCategoryID": "c1", "TrackingOptionID": "o1"},
        {"Name": "Project", "Option": "P1", "TrackingCategoryID": "c2", "TrackingOptionID": "o2"}]
    rows, _ = _read("journal_lines", lambda r: (200, {"Journals": [journal]}))
    assert (rows[0]["TrackingCategoryName1"], rows[0]["TrackingOptionName1"]) == ("Region", "North")
    assert (rows[0]["TrackingCategoryName2"], rows[0]["TrackingOptionID2"]) == ("Project", "o2")
    assert rows[1]["TrackingCategoryName1"] is None
    journal["JournalLines"][0]["TrackingCategories"].append({"Name": "Third", "Option": "x"})
    with pytest.raises(ValueError, match="3 tracking categories"):
        _read("journal_lines", lambda r: (200, {"Journals": [journal]}))


def test_a_body_without_its_envelope_is_malformed_not_empty():
    with pytest.raises(ValueError, match="'Journals'"):
        _read("journal_lines", lambda r: (200, {"Invoices": []}))
    broken = _journal(1)
    del broken["JournalLines"]
    with pytest.raises(ValueError, match="JournalLines"):
        _read("journal_lines", lambda r: (200, {"Journals": [broken]}))


def _invoice(number: int, updated_ms: int = 1751371200000) -> dict:
    return {"InvoiceID": f"i{number}", "Type": "ACCREC", "Status": "AUTHORISED",
            "Contact": {"ContactID": "c1", "Name": "Hotel", "ContactNumber": "1001"},
            "AmountDue": 121.0, "UpdatedDateUTC": f"/Date({updated_ms}+0000)/"}


def test_first_invoice_read_asks_what_is_outstanding_and_pages():
    def answer(request):
        page = int(_query(request)["page"])
        return 200, {"pagination": {"page": page, "pageSize": 2, "pageCount": 2, "itemCount": 3},
                     "Invoices": [_invoice(n) for n in ((1, 2) if page == 1 else (3,))]}

    rows, transport = _read("invoices", answer)
    queries = [_query(r) for r in transport.sent]
    assert [q["page"] for q in queries] == ["1", "2"]
    assert all(q["Statuses"] == "AUTHORISED" and q["pageSize"] == "1000" for q in queries)
    assert all("If-Modified-Since" not in r.headers for r in transport.sent)
    assert [r["InvoiceID"] for r in rows] == ["i1", "i2", "i3"]
    assert rows[0]["ContactName"] == "Hotel" and rows[0]["AmountDue"] == Decimal("121.0")


def test_later_invoice_reads_ask_what_changed_in_any_status():
    since = datetime(2026, 11, 20, 17, 0, 0, 250000, tzinfo=UTC)
    rows, transport = _read("invoices", lambda r: (200, {
        "pagination": {"page": 1, "pageSize": 1000, "pageCount": 0, "itemCount": 0},
        "Invoices": []}), cursor=since)
    request = transport.sent[0]
    assert request.headers["If-Modified-Since"] == "2026-11-20T17:00:00.250+00:00"
    assert "Statuses" not in _query(request)


def test_assets_are_read_registered_and_flattened():
    asset = {"assetId": "a1", "assetName": "Oven", "assetStatus": "Registered",
             "purchaseDate": "2019-01-16T00:00:00", "purchasePrice": 7671.0,
             "bookDepreciationSetting": {"depreciationMethod": "StraightLine", "effectiveLifeYears": 7},
             "bookDepreciationDetail": {"priorAccumDepreciationAmount": 100.5,
                                        "depreciationStartDate": "2019-02-01T00:00:00"}}
    rows, transport = _read("fixed_assets", lambda r: (200, {
        "pagination": {"page": 1, "pageSize": 100, "pageCount": 1, "itemCount": 1}, "items": [asset]}))
    assert _query(transport.sent[0]) == {"status": "REGISTERED", "page": "1", "pageSize": "100"}
    assert rows[0]["effectiveLifeYears"] == 7 and rows[0]["depreciationMethod"] == "StraightLine"
    assert rows[0]["priorAccumDepreciationAmount"] == Decimal("100.5")
    assert rows[0]["purchaseDate"] == date(2019, 1, 16)


def test_tracking_options_carry_their_category():
    categories = [{"TrackingCategoryID": "c1", "Name": "Region", "Status": "ACTIVE", "Options": [
        {"TrackingOptionID": "o1", "Name": "North", "Status": "ACTIVE"},
        {"TrackingOptionID": "o2", "Name": "South", "Status": "ARCHIVED"}]}]
    rows, transport = _read("tracking_options", lambda r: (200, {"TrackingCategories": categories}))
    assert _query(transport.sent[0])["includeArchived"] == "true"
    assert [(r["Name"], r["CategoryName"], r["Status"]) for r in rows] == [
        ("North", "Region", "ACTIVE"), ("South", "Region", "ARCHIVED")]


def test_discovery_lists_organisations_not_practices():
    connections = [{"tenantId": "t1", "tenantName": "Org", "tenantType": "ORGANISATION"},
                   {"tenantId": "t2", "tenantName": "Practice", "tenantType": "PRACTICE"}]
    transport = Scripted(lambda r: (200, connections))
    session = requests.Session()
    session.mount(BASE, transport)
    found = adapter.discover(session, BASE)
    assert [(a.external_id, a.name) for a in found] == [("t1", "Org")]
    assert transport.sent[0].url == f"{BASE}/connections"


# --- quotas and errors ---------------------------------------------------------------------------
def test_a_spent_minute_is_waited_out_a_spent_day_is_not(monkeypatch):
    assert adapter.seconds_to_wait(_response(200, headers={"X-MinLimit-Remaining": "0"})) == 60.0
    assert adapter.seconds_to_wait(_response(200, headers={"X-AppMinLimit-Remaining": "0"})) == 60.0
    assert adapter.seconds_to_wait(_response(200, headers={"X-MinLimit-Remaining": "3",
                                                           "X-DayLimit-Remaining": "0"})) == 0.0
    refused = _response(429, headers={"X-MinLimit-Remaining": "0", "Retry-After": "4"})
    slept = []
    monkeypatch.setattr("monitr_pipeline.ingestion.http.time.sleep", slept.append)
    quota_pause_hook(adapter, "entity")(refused)
    assert slept == []  # the retry waits Retry-After, not a minute


@pytest.mark.parametrize("status, body, headers, reason", [
    (401, {"Type": None, "Title": "Unauthorized", "Status": 401,
           "Detail": "TokenExpired: token expired at 04/09/2023 05:16:59"}, {},
     "Unauthorized: TokenExpired: token expired at 04/09/2023 05:16:59"),
    (403, {"Title": "Forbidden", "Detail": "AuthenticationUnsuccessful"}, {},
     "Forbidden: AuthenticationUnsuccessful"),
    (400, {"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception",
           "Elements": [{"ValidationErrors": [{"Message": "Account code is invalid"}]}]}, {},
     "A validation exception; Account code is invalid"),
    (400, {"title": "The resource update failed validation.", "detail": "Validation Errors"}, {},
     "The resource update failed validation.: Validation Errors"),
    (400, {"error": "invalid_grant"}, {}, "invalid_grant"),
    (429, "", {"Retry-After": "37", "X-Rate-Limit-Problem": "minute"},
     "rate limit exceeded (minute limit); retry after 37 s"),
])
def test_error_reasons_in_xeros_own_words(status, body, headers, reason):
    raw = body if isinstance(body, str) else json.dumps(body)
    assert adapter.error_reason(_response(status, raw, headers)) == reason
