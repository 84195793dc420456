"""QuickBooks' wire quirks: dotted fields and offsets, keyed query pages, CDC rows, the three error
shapes, and the realm that only the consent redirect names; the ledger's pages over HTTP."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import requests
from tenacity import RetryCallState

from monitr_pipeline.connections.connect import start_oauth
from monitr_pipeline.ingestion.client import oauth_client
from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.http import ProviderRetry, rest_client
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.values import FieldError, typed_rows
from monitr_pipeline.ingestion.source import EndpointReader
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.quickbooks import ADAPTER, SPEC
from monitr_pipeline.providers.quickbooks.cdc import change_rows
from monitr_pipeline.providers.quickbooks.query import QueryPaginator, select
from monitr_sandbox.quickbooks import QuickBooksSandbox, create_app
from monitr_sandbox.server import EmulatorServer

INVOICES = SPEC.endpoint("invoices")
ACCOUNTS = SPEC.endpoint("accounts")
LEDGER = SPEC.endpoint("general_ledger_months")
CHANGES = SPEC.endpoint("cdc_changes")


def _typed(endpoint, records: list[dict]) -> list[dict]:
    """Records typed as the engine types a page, in the provider's wire format."""
    return typed_rows(records, endpoint.columns, SPEC.wire)


def _row(endpoint, record: dict) -> dict:
    return _typed(endpoint, [record])[0]


def _response(status: int, body: bytes, url: str = "https://quickbooks.api.intuit.com/v3/company/1/x"
              ) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, body
    response.request = requests.Request("GET", url).prepare()
    return response


def test_rows_keep_dotted_fields_in_their_types():
    row = _row(INVOICES, {
        "Id": "42", "TxnDate": "2026-03-01", "TotalAmt": 1234.56, "Balance": 0,
        "MetaData": {"CreateTime": "2026-03-01T08:00:00-08:00",
                     "LastUpdatedTime": "2026-07-01T09:30:00-07:00"},
        "CurrencyRef": {"value": "EUR", "name": "Euro"}, "CustomerRef": {"value": "1003"},
    })
    assert row["TxnDate"] == date(2026, 3, 1)
    assert row["TotalAmt"] == Decimal("1234.56") and row["Balance"] == Decimal(0)
    # Offsets of Intuit's clock become UTC (summer and winter alike).
    assert row["MetaData.CreateTime"] == datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    assert row["MetaData.LastUpdatedTime"] == datetime(2026, 7, 1, 16, 30, tzinfo=UTC)
    assert row["CurrencyRef.value"] == "EUR" and row["ExchangeRate"] is None
    assert row["CustomerRef.value"] == "1003" and row["CustomerRef.name"] is None


def test_ledger_month_rows_keep_their_lines_as_json():
    lines = [{"txn_entity": "Invoice", "txn_id": "7", "debit": "12.10", "credit": None}]
    row = _row(LEDGER, {
        "Month": "2026-03", "StartDate": "2026-03-01", "EndDate": "2026-03-31",
        "ReportTime": "2026-11-23T14:00:00-08:00", "SeenUntil": "2026-11-23T21:59:00+00:00",
        "ReportBasis": "Accrual", "Currency": "EUR", "Lines": lines})
    assert row["Lines"] == lines and row["EndDate"] == date(2026, 3, 31)
    assert row["ReportTime"] == datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    assert _row(LEDGER, {"Month": "2026-04", "Lines": []})["Lines"] == []


@pytest.mark.parametrize("field, value", [
    ("TotalAmt", "12,50"), ("TxnDate", "01-03-2026"), ("DueDate", 20260301),
])
def test_a_bad_field_is_named(field, value):
    with pytest.raises(FieldError, match=repr(field)):
        _row(INVOICES, {"Id": "1", field: value})
    with pytest.raises(FieldError, match="MetaData.LastUpdatedTime"):
        _row(INVOICES, {"Id": "1", "MetaData": {"LastUpdatedTime": "2026-03-01T08:00:00"}})


def _query(endpoint, cursor) -> str:
    return endpoint_request(SPEC, endpoint, "1", cursor, first_import=cursor is None).params["query"]


def test_query_endpoints_read_everything_first_then_from_the_cursor():
    assert ADAPTER.initial_cursor(ACCOUNTS) is None
    assert _query(ACCOUNTS, None) == select("Account", ["Active IN (true, false)"], 1, 1000)
    cursor = datetime(2026, 11, 1, tzinfo=UTC)
    assert "MetaData.LastUpdatedTime >= '2026-11-01T00:00:00+00:00'" in _query(ACCOUNTS, cursor)
    # The ledger starts with a full pass and continues from the moment it last saw every change
    # (its reader is handed the cursor as it is).
    assert ADAPTER.initial_cursor(LEDGER) is None
    assert LEDGER.reader == "ledger_months" and not LEDGER.params


def test_change_capture_starts_near_the_first_import_and_never_beyond_30_days():
    now = datetime.now(UTC)
    first = ADAPTER.initial_cursor(CHANGES)
    assert now - timedelta(hours=2) < first < now
    assert ADAPTER.changed_since(first) == first
    stale = ADAPTER.changed_since(now - timedelta(days=90))
    assert now - timedelta(days=30) < stale < now - timedelta(days=28)


def _rows(*times: str) -> list[dict]:
    return [{"Id": str(i), "MetaData": {"LastUpdatedTime": t}} for i, t in enumerate(times)]


def query_pages(fetch, entity: str, where: str, since, page_size: int):
    """Pages as dlt's RESTClient.paginate drives the paginator, `fetch` answering each query."""
    request = requests.Request("GET", "http://qbo.test/query", params={
        "query": select(entity, [where, f"MetaData.LastUpdatedTime >= '{since.isoformat()}'"
                                 if since else ""], 1, page_size)})
    paginator = QueryPaginator()
    paginator.init_request(request)
    while True:
        rows = fetch(request.params["query"])
        paginator.update_state(None, [{entity: rows}])
        paginator.update_request(request)
        yield rows
        if not paginator.has_next_page:
            return


def test_query_pages_are_keyed_on_last_updated_time():
    t1, t2, t3 = "2026-01-01T00:00:01-08:00", "2026-01-01T00:00:02-08:00", "2026-01-01T00:00:03-08:00"
    answers = iter([_rows(t1, t2, t3), _rows(t3, t3, t3), _rows(t3, t3, t3), _rows(t3)])
    queries = []

    def fetch(query: str) -> list[dict]:
        queries.append(query)
        return next(answers)

    pages = list(query_pages(fetch, "Invoice", "Balance > '0'", None, page_size=3))
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert queries[0] == ("SELECT * FROM Invoice WHERE Balance > '0' ORDERBY MetaData.LastUpdatedTime "
                          "STARTPOSITION 1 MAXRESULTS 3")
    # From the last time read (its rows read again), then through a block of rows of one time.
    since = "MetaData.LastUpdatedTime >= '2026-01-01T08:00:03+00:00'"
    assert [q.split(" ORDERBY")[0].endswith(since) for q in queries[1:]] == [True] * 3
    assert ["STARTPOSITION 1 ", "STARTPOSITION 4 ", "STARTPOSITION 7 "] == \
        [q[q.index("STARTPOSITION"):q.index("MAXRESULTS")] for q in queries[1:]]


def test_a_page_row_without_its_time_is_an_error():
    with pytest.raises(ValueError, match="LastUpdatedTime"):
        list(query_pages(lambda q: [{"Id": "9"}], "Bill", "", None, page_size=1))


def test_change_rows_name_entity_object_and_deletion():
    assert set(CHANGES.params["entities"].split(",")) >= {
        "Invoice", "Bill", "Payment", "BillPayment", "Purchase", "Transfer", "JournalEntry"}
    body = {"CDCResponse": [{"QueryResponse": [
        {"JournalEntry": [
            {"Id": "7", "SyncToken": "1", "MetaData": {"LastUpdatedTime": "2026-11-21T09:00:00-08:00"}},
            {"domain": "QBO", "status": "Deleted", "Id": "8",
             "MetaData": {"LastUpdatedTime": "2026-11-21T09:00:01-08:00"}}],
         "startPosition": 1, "maxResults": 2, "totalCount": 2},
        {},
    ]}], "time": "2026-11-21T09:00:02.000-08:00"}
    changed, deleted = change_rows(body)
    assert (changed["Id"], changed["ObjectId"], changed["DeletedType"]) == ("JournalEntry/7", "7", None)
    assert (deleted["ObjectId"], deleted["status"], deleted["DeletedType"]) == ("8", "Deleted",
                                                                               "JournalEntry")
    with pytest.raises(ValueError, match="CDCResponse"):
        change_rows({"QueryResponse": {}})


def test_error_reasons_read_all_three_fault_shapes():
    query_url = ("https://quickbooks.api.intuit.com/v3/company/1/query?query=SELECT+*+FROM+JournalEntry"
                 "+ORDERBY+MetaData.LastUpdatedTime+STARTPOSITION+1001+MAXRESULTS+1000")
    api = _response(400, b'{"Fault":{"Error":[{"Message":"Invalid query","Detail":"QueryValidationError: '
                         b'property \'X\' is not queryable","code":"4001"}],"type":"ValidationFault"}}',
                    query_url)
    assert ADAPTER.error_reason(api) == ("Invalid query: QueryValidationError: property 'X' is not "
                                         "queryable (code 4001, ValidationFault) (reading JournalEntry "
                                         "from position 1001)")
    auth = _response(401, b'{"warnings":null,"fault":{"error":[{"message":"message=AuthenticationFailed; '
                          b'errorCode=003200; statusCode=401","detail":"Token expired","code":"3200"}],'
                          b'"type":"AUTHENTICATION"},"time":1}')
    assert "Token expired (code 3200, AUTHENTICATION)" in ADAPTER.error_reason(auth)
    report_url = ("https://quickbooks.api.intuit.com/v3/company/1/reports/GeneralLedger?"
                  "start_date=2026-03-01&end_date=2026-08-31&accounting_method=Accrual")
    report = _response(400, b'{"Fault":{"Error":[{"Message":"Invalid date","code":"2010"}],'
                            b'"type":"ValidationFault"}}', report_url)
    assert ADAPTER.error_reason(report).endswith("(reading GeneralLedger 2026-03-01..2026-08-31)")
    throttled = _response(429, b'<?xml version="1.0"?><IntuitResponse xmlns="http://schema.intuit.com/'
                               b'finance/v3"><Fault type="SERVICE"><Error code="3001"><Message>message='
                               b'ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The '
                               b'request limit was reached.</Detail></Error></Fault></IntuitResponse>')
    assert "ThrottleExceeded" in ADAPTER.error_reason(throttled)
    assert "(code 3001, SERVICE)" in ADAPTER.error_reason(throttled)


def test_the_realm_comes_from_the_consent_redirect():
    callback = "http://127.0.0.1:8799/oauth/callback?code=AB11x&state=s&realmId=9130357766901254"
    assert ADAPTER.callback_credentials(callback) == {"realm_id": "9130357766901254"}
    with pytest.raises(ValueError, match="realmId"):
        ADAPTER.callback_credentials("http://127.0.0.1:8799/oauth/callback?code=AB11x&state=s")
    assert ADAPTER.tenant_base_url("https://quickbooks.api.intuit.com", "123") == \
        "https://quickbooks.api.intuit.com/v3/company/123/"


# --- against the emulator over HTTP -------------------------------------------------------------
class _Store:
    def __init__(self, credentials: dict):
        self.credentials = credentials

    def load(self) -> dict:
        return self.credentials


class _Bearer(requests.auth.AuthBase):
    """The part of RefreshingBearerAuth discovery relies on: a bearer token and the store."""

    def __init__(self, token: str, realm: str):
        self.token, self.store = token, _Store({"realm_id": realm})

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@pytest.fixture
def served() -> Iterator[tuple[QuickBooksSandbox, str, _Bearer]]:
    qbo = QuickBooksSandbox()
    with EmulatorServer(create_app(qbo)) as server:
        yield qbo, server.url, _Bearer(qbo.issue_tokens()["access_token"], qbo.realm)


def _pages(served, endpoint, cursor=None) -> list[list]:
    qbo, url, auth = served
    client = rest_client(ADAPTER, ADAPTER.tenant_base_url(url, qbo.realm), auth)
    run = ImportRunContext(EntityContext(1, 1, qbo.realm, "quickbooks:1", "Demo BV"))
    if endpoint.reader:
        return list(getattr(ADAPTER, endpoint.reader)(client, endpoint, cursor, run,
                                                       {"response": []}))
    return list(EndpointReader(ADAPTER, client, run, endpoint).declared_pages(cursor))


def test_a_full_pass_reads_every_month_of_the_ledger_over_http(served):
    qbo = served[0]
    ledger = qbo.ledger(qbo.realm)
    pages = _pages(served, LEDGER)
    rows = [row for page in pages for row in page]
    first = min(entry.date for entry in ledger.entries.values())
    now = datetime.now(UTC).date()
    assert len(rows) == (now.year - first.year) * 12 + now.month - first.month + 1
    lines = {(line["txn_entity"], line["txn_id"]) for row in rows for line in row["Lines"]}
    assert lines == {(entity, str(entry.entry_number))
                     for entry, entity in qbo.books.transactions_of()}
    assert sum(len(row["Lines"]) for row in rows) == sum(len(e.lines) for e in ledger.entries.values())
    assert len({row["SeenUntil"] for row in rows}) == 1  # one cursor for the whole import


def test_a_fault_answered_with_200_raises_a_provider_error(served):
    qbo = served[0]
    qbo.inject_fault("/query", 200, body='{"Fault":{"Error":[{"Message":"Stale","Detail":"x",'
                                         '"code":"5010"}],"type":"ValidationFault"}}')
    with pytest.raises(ProviderError, match="code 5010") as raised:
        _pages(served, ACCOUNTS)
    assert raised.value.status == 200


def test_a_malformed_page_names_its_query(served):
    served[0].inject_fault("/query", 200, body='{"QueryResponse": {"Account": [')
    with pytest.raises(ValueError, match="SELECT \\* FROM Account .*STARTPOSITION 1 "):
        _pages(served, ACCOUNTS)


def test_a_malformed_report_names_report_and_window(served):
    served[0].inject_fault("/reports/GeneralLedger", 200, body='{"Header": {}, "Rows": {"Row": [')
    with pytest.raises(ValueError, match=r"GeneralLedger \d{4}-\d\d-01\.\.\d{4}-\d\d-\d\d: "):
        _pages(served, LEDGER)


def test_discovery_finds_the_consented_company(served):
    qbo, url, auth = served
    session = requests.Session()
    session.auth = auth
    [company] = ADAPTER.discover(session, url)
    assert (company.external_id, company.name) == (qbo.realm, qbo.ledger(qbo.realm).profile.name)
    assert (company.country, company.currency) == ("NL", "EUR")


def test_identity_endpoints_are_intuits_own_unless_an_emulator_serves_everything():
    real = oauth_client(ADAPTER, "https://sandbox-quickbooks.api.intuit.com", "id", "secret")
    assert real.token_url == "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
    start = start_oauth(ADAPTER, "https://quickbooks.api.intuit.com", "id", "secret",
                        "https://app.example/callback")
    assert start.authorize_url.startswith("https://appcenter.intuit.com/connect/oauth2?")
    assert "scope=com.intuit.quickbooks.accounting" in start.authorize_url
    emulated = oauth_client(ADAPTER, "http://127.0.0.1:8731", "id", "secret")
    assert emulated.token_url == "http://127.0.0.1:8731/oauth2/v1/tokens/bearer"


def _bare_response(status: int, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    return response


def test_a_throttle_without_retry_after_waits_the_minute_window_out():
    assert ADAPTER.retry_wait(_bare_response(429)) == 60.0
    # A Retry-After (should Intuit ever send one) is honoured by the retry policy before this.
    assert ProviderRetry(ADAPTER, "e").wait(_failed_with(_bare_response(429, {"Retry-After": "5"}))) == 5
    assert ProviderRetry(ADAPTER, "e").wait(_failed_with(_bare_response(429))) == 60.0
    assert ADAPTER.retry_wait(_bare_response(503)) is None
    assert ADAPTER.seconds_to_wait(_bare_response(200)) == 0.0


def _failed_with(response: requests.Response):
    """The retry state after an attempt that was answered with `response`."""
    state = RetryCallState(None, None, (), {})
    state.set_result(response)
    return state
