"""The Yuki emulator's API over real HTTP: SOAP 1.1 envelopes, Authenticate and sessions (the
parameter's casing per service), administrations, paging of GetTransactionDetails, results inline
or as XML inside the result string, credit negative, the daily call budget and its faults."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import requests

from monitr_pipeline.providers.yuki.transport import records, result_document
from monitr_sandbox.control_api import with_controls
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.yuki import SANDBOX, YukiSandbox, create_app

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
YUKI = "http://www.theyukicompany.com/"


class Client:
    def __init__(self, url: str):
        self.url = url

    def post(self, service: str, operation: str, **params: object) -> requests.Response:
        body = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in params.items())
        envelope = (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}">'
                    f'<soap:Body><{operation} xmlns="{YUKI}">{body}</{operation}></soap:Body>'
                    "</soap:Envelope>")
        return requests.post(f"{self.url}/ws/{service}.asmx", data=envelope.encode(), timeout=10,
                             headers={"Content-Type": "text/xml; charset=utf-8",
                                      "SOAPAction": f'"{YUKI}{operation}"'})

    def answer(self, service: str, operation: str, **params: object) -> ET.Element:
        response = self.post(service, operation, **params)
        assert response.status_code == 200, response.text
        root = ET.fromstring(response.content)
        return root.find(f"{{{SOAP}}}Body/{{{YUKI}}}{operation}Response")

    def rows(self, service: str, operation: str, element: str, **params: object) -> list[dict]:
        answer = self.answer(service, operation, **params)
        return records(result_document(answer, operation, operation), element)


def fault(response: requests.Response) -> tuple[str, str]:
    assert response.status_code == 500, response.text
    found = ET.fromstring(response.content).find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    return found.findtext("faultcode"), found.findtext("faultstring")


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[YukiSandbox, Client]]:
    sandbox = YukiSandbox("nl")
    with EmulatorServer(with_controls(create_app(sandbox), sandbox)) as server:
        yield sandbox, Client(server.url)


@pytest.fixture
def session(served) -> str:
    sandbox, client = served
    return client.answer("Accounting", "Authenticate", accessKey=sandbox.access_key).findtext(
        f"{{{YUKI}}}AuthenticateResult")


def _first(sandbox: YukiSandbox) -> str:
    return sandbox.domain.administrations[0].id


def test_authenticate_answers_a_session_id_and_refuses_a_wrong_key(served, session):
    _, client = served
    assert len(session) == 36  # a GUID
    assert fault(client.post("Accounting", "Authenticate", accessKey="wrong")) == (
        "soap:Server", "Invalid access key. Check the WebServiceAccessKey of the user.")


def test_the_soap_action_must_name_the_operation(served, session):
    _, client = served
    body = (f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><Administrations xmlns="{YUKI}">'
            f"<sessionID>{session}</sessionID></Administrations></soap:Body></soap:Envelope>")
    answer = requests.post(f"{client.url}/ws/Accounting.asmx", data=body, timeout=10, headers={
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{YUKI}Domains"'})
    assert fault(answer)[0] == "soap:Client"


def test_administrations_are_the_domains_inline(served, session):
    sandbox, client = served
    answer = client.answer("Accounting", "Administrations", sessionID=session)
    result = answer.find(f"{{{YUKI}}}AdministrationsResult")
    assert len(result) == 1 and result[0].tag == "Administrations"  # inline, xmlns=""
    rows = records(result, "Administration")
    assert [(r["ID"], r["Name"], r["Country"], r["DomainID"]) for r in rows] == [
        (a.id, a.name, "NL", sandbox.domain.id) for a in sandbox.domain.administrations]
    assert rows[0]["StartDate"] == "2023-01-01T00:00:00"


def test_the_session_parameter_is_spelt_per_service(served, session):
    sandbox, client = served
    wrong = client.post("AccountingInfo", "GetGLAccountScheme", sessionId=session,
                        administrationID=_first(sandbox))
    assert "Invalid or expired session ID" in fault(wrong)[1]
    accounts = client.rows("AccountingInfo", "GetGLAccountScheme", "GlAccount",
                           sessionID=session, administrationID=_first(sandbox))
    ledger = sandbox.ledger(_first(sandbox))
    assert {a["code"] for a in accounts} == {a.code for a in ledger.accounts}
    assert {a["type"] for a in accounts} == {"1", "2", "3", "4"} and "descripton" in accounts[0]


def _details(client: Client, session: str, administration: str, start: str, end: str,
             first: int, count: int, account: str = "",
             groups: str = "contact,document,documentmatching,project,vat") -> requests.Response:
    return client.post("AccountingInfo", "GetTransactionDetails", sessionID=session,
                       administrationID=administration, GLAccountCode=account, StartDate=start,
                       EndDate=end, financialMode=0, dataGroups=groups,
                       numberOfRecords=count, startRecord=first, searchValues="")


def _transaction_rows(answer: requests.Response) -> list[dict]:
    root = ET.fromstring(answer.content).find(f"{{{SOAP}}}Body/{{{YUKI}}}"
                                               "GetTransactionDetailsResponse")
    return records(result_document(root, "GetTransactionDetails", "page"), "TransactionInfo")


def test_data_groups_add_their_fields_and_matching_ties_an_item_together(served, session):
    sandbox, client = served
    administration = _first(sandbox)
    bare = _transaction_rows(_details(client, session, administration, "2026-01-01",
                                      "2026-01-31", 1, 1000, groups=""))
    assert set(bare[0]) == {"id", "documentID", "transactionDate", "description",
                            "transactionAmount", "currency", "glAccountCode"}
    rows, first = [], 1
    while first == 1 or len(rows) == first - 1:
        rows += _transaction_rows(_details(client, session, administration, "2023-01-01",
                                           "2026-12-31", first, 1000))
        first += 1000
    groups: dict[str, Decimal] = {}
    for row in rows:
        if row["matchDocumentID"]:
            sign = -1 if row["matchType"] == "Creditor" else 1
            groups[row["matchDocumentID"]] = (groups.get(row["matchDocumentID"], Decimal(0))
                                              + sign * Decimal(row["transactionAmount"]))
    items = sandbox.ledger(administration).open_items
    documents = {str(sandbox.ledger(administration).entry(i.entry_number).id): i for i in items}
    assert {doc: total for doc, total in groups.items() if total} == {
        doc: item.amount for doc, item in documents.items()}


def test_transaction_details_page_by_start_record_and_balance(served, session):
    sandbox, client = served
    administration = _first(sandbox)
    pages, first = [], 1
    while True:
        answer = _details(client, session, administration, "2025-01-01", "2025-12-31", first, 1000)
        root = ET.fromstring(answer.content).find(f"{{{SOAP}}}Body/{{{YUKI}}}"
                                                   "GetTransactionDetailsResponse")
        page = records(result_document(root, "GetTransactionDetails", "page"), "TransactionInfo")
        pages.append(page)
        if len(page) < 1000:
            break
        first += 1000
    lines = [row for page in pages for row in page]
    ledger = sandbox.ledger(administration)
    assert len(lines) == sum(len(e.lines) for e in ledger.entries.values() if e.date.year == 2025)
    assert len({row["id"] for row in lines}) == len(lines) and len(pages) >= 2
    assert sum(Decimal(row["transactionAmount"]) for row in lines) == 0
    revenue = [Decimal(r["transactionAmount"]) for r in lines
               if r["documentType"] == "Sales invoice" and r["glAccountCode"].startswith("8")]
    assert revenue and all(amount < 0 for amount in revenue)  # credit negative
    assert lines[0]["transactionDate"] == "2025-01-01T00:00:00"
    assert lines[0]["documentType"] == "Opening balance"
    too_many = _details(client, session, administration, "2025-01-01", "2025-12-31", 1, 1001)
    assert fault(too_many)[0] == "soap:Client"


def test_a_lone_record_is_a_list_of_one(served, session):
    sandbox, client = served
    answer = _details(client, session, _first(sandbox), "2025-01-01", "2025-01-01", 1, 1000,
                      account="0500")  # share capital: the opening balance only
    root = ET.fromstring(answer.content).find(f"{{{SOAP}}}Body/{{{YUKI}}}"
                                               "GetTransactionDetailsResponse")
    rows = records(result_document(root, "GetTransactionDetails", "one"), "TransactionInfo")
    assert len(rows) == 1 and rows[0]["glAccountCode"] == "0500"


def test_open_items_come_as_xml_inside_the_result_string(served, session):
    sandbox, client = served
    administration = _first(sandbox)
    answer = client.answer("Accounting", "OutstandingCreditorItems", sessionID=session,
                           administrationID=administration, includeBankTransactions="false",
                           sortOrder="DateAsc")
    result = answer.find(f"{{{YUKI}}}OutstandingCreditorItemsResult")
    assert len(result) == 0 and result.text.startswith("<OutstandingItems>")
    items = records(result_document(answer, "OutstandingCreditorItems", "items"), "Item")
    ledger = sandbox.ledger(administration)
    payables = [i for i in ledger.open_items if i.kind == "payable"]
    assert sorted(Decimal(i["OpenAmount"]) for i in items) == sorted(-i.amount for i in payables)
    earlier = client.rows("Accounting", "OutstandingDebtorItemsByDateOutstanding", "Item",
                          sessionID=session, administrationID=administration,
                          includeBankTransactions="false", sortOrder="DateAsc",
                          dateOutstanding="2025-06-30")
    assert earlier and all(row["Date"][:10] <= "2025-06-30" for row in earlier)


def test_periods_and_projects_are_xml_strings(served, session):
    sandbox, client = served
    administration = _first(sandbox)
    periods = client.rows("AccountingInfo", "GetPeriodDateTable", "Period", sessionID=session,
                          administrationID=administration, yearID=2025)
    assert [(p["PeriodNumber"], p["StartDate"][:10]) for p in periods][:2] == [
        ("1", "2025-01-01"), ("2", "2025-02-01")]
    projects = client.rows("AccountingInfo", "GetProjectsAndID", "Project", sessionID=session,
                           administrationID=administration, searchOption="All", searchValue="")
    assert {p["code"] for p in projects} == {p.code for p in sandbox.ledger(administration).projects}


def test_a_stale_session_and_an_administration_out_of_reach_are_faults(served, session):
    sandbox, client = served
    administration = _first(sandbox)
    sandbox.remove_administration(administration)
    try:
        gone = client.post("AccountingInfo", "GetGLAccountScheme", sessionID=session,
                           administrationID=administration)
        assert fault(gone)[1] == f"No access to administration {administration}."
    finally:
        sandbox.restore_administration(administration)
    assert requests.post(f"{client.url}/_sandbox/expire-tokens", timeout=10).ok
    stale = client.post("AccountingInfo", "GetGLAccountScheme", sessionID=session,
                        administrationID=administration)
    assert "Invalid or expired session ID" in fault(stale)[1]


def test_the_daily_budget_counts_every_call_and_refuses_when_spent(served, session):
    sandbox, client = served
    sandbox.daily_call_limit = sandbox.calls_today + 2
    try:
        for _ in range(2):
            client.answer("Accounting", "Administrations", sessionID=session)
        spent = fault(client.post("Accounting", "Administrations", sessionID=session))
        assert spent[1].startswith(f"The maximum number of calls per day ({sandbox.daily_call_limit})")
        assert "maximum number" in fault(client.post("Accounting", "Authenticate",
                                                     accessKey=sandbox.access_key))[1]
        assert sandbox.calls_today == sandbox.daily_call_limit  # refused calls do not count
    finally:
        sandbox.daily_call_limit = 1000


def test_faults_match_the_calls_description_and_secrets_are_not_logged(served, session):
    sandbox, client = served
    sandbox.inject_fault(r"op=GetPeriodDateTable.*yearID=2025", 503, body="busy")
    response = client.post("AccountingInfo", "GetPeriodDateTable", sessionID=session,
                           administrationID=_first(sandbox), yearID=2025)
    assert response.status_code == 503
    assert all(session not in query and sandbox.access_key not in query
               for _, _, query in sandbox.request_log)


def test_the_belgian_host_keeps_pcmn_books_and_the_user_can_revoke_the_key(tmp_path: Path):
    sandbox = SANDBOX.create_emulator("be", tmp_path / "yuki_be.json", 0, relaxed_limits=True)
    handout = SANDBOX.credentials_handout(sandbox, tmp_path)
    key_file = tmp_path / "yuki_be_access_key"
    assert key_file.read_text() == sandbox.access_key and sandbox.access_key not in handout
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(sandbox.domain.administrations) >= 2
    ledger = sandbox.ledger(sandbox.domain.administrations[0].id)
    assert ledger.profile.country == "BE" and all(len(a.code) == 6 for a in ledger.accounts)
    with EmulatorServer(with_controls(create_app(sandbox), sandbox)) as server:
        client = Client(server.url)
        key = sandbox.access_key
        client.answer("Accounting", "Authenticate", accessKey=key)
        assert requests.post(f"{server.url}/_sandbox/revoke-api-key", timeout=10).ok
        assert "Invalid access key" in fault(client.post("Accounting", "Authenticate",
                                                         accessKey=key))[1]
