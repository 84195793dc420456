"""The query language as emulated: paging, filters, ordering, name-list defaults, errors, XML."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree

from monitr_sandbox.quickbooks import query_language

_V3 = "{http://schema.intuit.com/finance/v3}"


def test_pages_by_startposition_and_maxresults(select, qbo):
    total = select("SELECT COUNT(*) FROM Payment")["totalCount"]
    assert total == sum(1 for kind in qbo.books.entity_of.values() if kind == "Payment") > 300
    first = select("select * from payment STARTPOSITION 1 MAXRESULTS 300")
    assert first["startPosition"] == 1 and first["maxResults"] == len(first["Payment"]) == 300
    rest = select("SELECT * FROM Payment STARTPOSITION 301 MAXRESULTS 300")
    # maxResults is the number of rows in this page, not the number asked for.
    assert rest["maxResults"] == len(rest["Payment"]) == total - 300
    ids = [r["Id"] for r in first["Payment"] + rest["Payment"]]
    assert len(set(ids)) == total
    assert select(f"SELECT * FROM Payment STARTPOSITION {total + 1}") == {}  # past the end


def test_maxresults_defaults_to_100_and_is_capped_at_1000(select):
    assert len(select("SELECT * FROM Invoice")["Invoice"]) == 100
    records = [{"Id": str(n)} for n in range(1, 1500)]

    def page(text: str) -> list:
        return query_language.run(query_language.parse(text), records)["Deposit"]

    assert len(page("SELECT * FROM Deposit MAXRESULTS 5000")) == 1000


def test_filters_and_orders_on_last_updated_time(select, qbo, clock):
    rows = select("SELECT * FROM Invoice ORDERBY MetaData.LastUpdatedTime DESC MAXRESULTS 3")
    times = [datetime.fromisoformat(r["MetaData"]["LastUpdatedTime"]) for r in rows["Invoice"]]
    assert times == sorted(times, reverse=True)
    before = {r["Id"]: r["MetaData"]["LastUpdatedTime"] for r in qbo.books.records("Invoice")}
    clock.now += 60
    qbo.advance_to_day(1)
    after = {r["Id"]: r["MetaData"]["LastUpdatedTime"] for r in qbo.books.records("Invoice")}
    since = datetime.fromtimestamp(clock.now).astimezone().isoformat()
    changed = select(f"SELECT * FROM Invoice WHERE Metadata.LastUpdatedTime >= '{since}'")
    expected = {k for k, moment in after.items() if before.get(k) != moment}
    # The day's new invoice, the one its receipt pays and the one whose line is corrected.
    assert {r["Id"] for r in changed["Invoice"]} == expected and len(expected) >= 2


def test_open_documents_filter_on_balance(select, qbo):
    invoices = select("SELECT * FROM Invoice WHERE Balance > '0' MAXRESULTS 1000")["Invoice"]
    open_receivables = [i for i in qbo.ledger(qbo.realm).open_items if i.kind == "receivable"]
    assert sorted(i["DocNumber"] for i in invoices) == sorted(str(i.invoice_number)
                                                             for i in open_receivables)
    assert {i["Balance"] for i in invoices} == {float(i.amount) for i in open_receivables}
    everything = select("SELECT COUNT(*) FROM Invoice")["totalCount"]
    assert everything > len(invoices)  # paid invoices stay, with Balance 0


def test_name_lists_answer_active_rows_unless_asked(select, qbo):
    accounts = select("SELECT * FROM Account MAXRESULTS 1000")["Account"]
    assert len(accounts) == len(qbo.ledger(qbo.realm).accounts)  # the sandbox's are all active
    records = [{"Id": "1", "Active": True}, {"Id": "2", "Active": False}]

    def ids(text: str) -> list[str]:
        return [r["Id"] for r in query_language.run(query_language.parse(text), records)["Class"]]

    assert ids("SELECT * FROM Class") == ["1"]
    assert ids("SELECT * FROM Class WHERE Active = false") == ["2"]
    assert ids("SELECT * FROM Class WHERE Active IN (true, false)") == ["1", "2"]


def test_query_errors_use_qbo_codes(client, headers, qbo):
    def fault(text: str) -> dict:
        response = client.get(f"/v3/company/{qbo.realm}/query", query_string={"query": text},
                              headers=headers)
        assert response.status_code == 400
        return response.json["Fault"]["Error"][0]

    assert fault("SELECT * FORM Account")["code"] == "4000"
    assert fault("SELECT * FROM Account WHERE")["code"] == "4000"
    assert fault("SELECT * FROM Nonsense")["code"] == "4001"
    unknown = fault("SELECT * FROM Invoice WHERE Line = '1'")
    assert unknown["code"] == "4001" and "not queryable" in unknown["Detail"]


def test_post_with_the_query_as_body_works_like_get(client, headers, qbo):
    response = client.post(f"/v3/company/{qbo.realm}/query", data="SELECT COUNT(*) FROM Account",
                           headers={**headers, "Content-Type": "application/text"})
    assert response.json["QueryResponse"]["totalCount"] == len(qbo.ledger(qbo.realm).accounts)


def test_answers_xml_without_accept_json(client, headers, qbo):
    response = client.get(f"/v3/company/{qbo.realm}/query", query_string={
        "query": "SELECT * FROM Class"}, headers={"Authorization": headers["Authorization"]})
    assert response.content_type.startswith("application/xml")
    root = ElementTree.fromstring(response.get_data())
    [answer] = root.findall(f"{_V3}QueryResponse")
    classes = answer.findall(f"{_V3}Class")
    assert answer.get("maxResults") == str(len(classes)) == str(len(qbo.ledger(qbo.realm).cost_centres))
    assert classes[0].get("domain") == "QBO" and classes[0].find(f"{_V3}Name").text
