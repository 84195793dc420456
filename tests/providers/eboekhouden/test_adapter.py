"""e-Boekhouden's wire format: typed rows, limit/offset paging, error bodies, flattened mutations."""

from datetime import date
from decimal import Decimal

import pytest
import requests

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.values import FieldError, typed_rows
from monitr_pipeline.providers.eboekhouden import ADAPTER, SPEC
from monitr_pipeline.providers.eboekhouden.paging import ShortPagePaginator
from monitr_pipeline.providers.eboekhouden.mutations import detail_rows, opening_row, outstanding_item


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


def test_rows_are_typed_and_bad_values_name_their_field():
    rows = SPEC.endpoint("mutation_rows")
    row = _row(rows, {"mutationRowId": "7-1", "mutationId": 7, "date": "2025-06-04",
                                   "rowAmount": 40.3, "rowVatAmount": 0, "rowCostCenterId": 0,
                                   "description": "", "type": 3})
    assert row["date"] == date(2025, 6, 4) and row["rowAmount"] == Decimal("40.3")
    assert row["rowVatAmount"] == Decimal("0") and row["rowCostCenterId"] == 0
    assert row["description"] is None and row["type"] == 3
    # A date with a time part (as some e-Boekhouden endpoints send) is still its date.
    assert _row(rows, {"date": "2025-06-04T00:00:00"})["date"] == date(2025, 6, 4)
    with pytest.raises(FieldError, match="'rowAmount'"):
        _row(rows, {"rowAmount": "12,50"})
    with pytest.raises(FieldError, match="'date'"):
        _row(rows, {"date": "04-06-2025"})
    with pytest.raises(FieldError, match="'mutationId'"):
        _row(rows, {"mutationId": 7.5})
    with pytest.raises(FieldError, match="'active'"):
        _row(SPEC.endpoint("cost_centers"), {"active": "yes"})


def test_pages_of_2000_until_a_short_page():
    paginator = endpoint_request(SPEC, SPEC.endpoint("ledgers"), "any-guid").paginator
    assert isinstance(paginator, ShortPagePaginator) and paginator.limit == 2000
    request = requests.Request("GET", "https://api.e-boekhouden.nl/v1/ledger")
    paginator.init_request(request)
    assert request.params == {"offset": 0, "limit": 2000}
    paginator.update_state(_response(200), [{}] * 2000)
    paginator.update_request(request)
    assert paginator.has_next_page and request.params["offset"] == 2000
    paginator.update_state(_response(200), [{}] * 5)
    assert not paginator.has_next_page


def test_error_reason_reads_the_error_body():
    body = (b'{"type":"validation","title":"Limit must be between 1 and 2000.","code":"PAGE_001",'
            b'"status":400}')
    assert ADAPTER.error_reason(_response(400, body)) == "PAGE_001: Limit must be between 1 and 2000."
    security = (b'{"type":"security","securityType":1,"title":"Unauthorized","code":"SECURITY_010",'
                b'"message":"Not authenticated. Check your Authorization header.","status":401}')
    assert ADAPTER.error_reason(_response(401, security)) == (
        "SECURITY_010: Unauthorized (Not authenticated. Check your Authorization header.)")
    errors = b'{"type":"validation","title":"Invalid","errors":["Date is missing.","Rows are missing."]}'
    assert ADAPTER.error_reason(_response(400, errors)) == "Invalid; Date is missing.; Rows are missing."
    keyed = b'{"type":"validation","title":"Invalid","errors":{"limit":["too big"]}}'
    assert ADAPTER.error_reason(_response(400, keyed)) == "Invalid; limit: ['too big']"
    assert ADAPTER.error_reason(_response(502, b"<html>Bad gateway</html>")) == "<html>Bad gateway</html>"


def test_a_mutation_detail_becomes_one_record_per_row():
    detail = {"id": 5, "type": 1, "date": "2025-01-11", "description": "Inkoopfactuur",
              "termOfPayment": 14, "ledgerId": 13201018, "relationId": 22982019, "inExVat": "EX",
              "invoiceNumber": "25600002", "entryNumber": "25600002",
              "rows": [{"ledgerId": 13201025, "vatCode": "HOOG_INK_21", "vatAmount": 56.02,
                        "costCenterId": 40105, "amount": 266.76, "description": "Gas",
                        "invoiceNumber": "", "relationId": 0},
                       {"ledgerId": 13201025, "vatCode": "HOOG_INK_21", "vatAmount": 76.96,
                        "costCenterId": 40103, "amount": 366.48, "description": "Gas"}],
              "vat": [{"vatCode": "HOOG_INK_21", "amount": 132.98}]}
    first, second = detail_rows(detail)
    assert first["mutationRowId"] == "5-1" and second["mutationRowId"] == "5-2"
    assert first["ledgerId"] == 13201018 and first["rowLedgerId"] == 13201025
    assert second["rowAmount"] == 366.48 and second["rowNumber"] == 2 and second["type"] == 1
    assert set(first) == set(SPEC.endpoint("mutation_rows").columns)
    with pytest.raises(ValueError, match="mutation 5: row 1"):
        detail_rows({**detail, "rows": ["oops"]})


def test_opening_balance_items_and_outstanding_keys():
    item = {"id": 0, "type": 0, "date": "2024-12-31", "invoiceNumber": "", "ledgerId": 13201861,
            "amount": -400.0, "entryNumber": ""}
    row = opening_row(item, 3)
    assert row["mutationRowId"] == "0-13201861" and row["rowAmount"] == -400.0
    assert row["rowNumber"] == 3 and row["type"] == 0
    outstanding = outstanding_item({"mutationId": 0, "relationId": 9, "invoiceNumber": "24700123"})
    assert outstanding["outstandingItemId"] == "0-9-24700123"


def test_the_token_picks_the_administration():
    assert ADAPTER.base_url(None, None) == "https://api.e-boekhouden.nl"
    assert ADAPTER.tenant_base_url("https://api.e-boekhouden.nl", "any-guid") == \
        "https://api.e-boekhouden.nl/"
    assert {e.path for e in SPEC.endpoints} >= {"v1/mutation", "v1/ledger", "v1/costcenter",
                                                 "v1/mutation/invoice/outstanding"}
    assert {e.page_size for e in SPEC.endpoints} == {2000}
