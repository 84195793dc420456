"""The Exact REST/OData surface: shapes, $select, filters, paging, access and formats."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest

from monitr_sandbox.exact_online.endpoints import ENTITY_SETS

DIVISION = 131001
LINES = f"/api/v1/{DIVISION}/sync/Financial/TransactionLines"
_DATE = re.compile(r"^/Date\((\d+)\)/$")


def _when(value: str) -> datetime:
    return datetime.utcfromtimestamp(int(_DATE.match(value).group(1)) / 1000)


def test_me_and_divisions(client, headers):
    me = client.get("/api/v1/current/Me", headers=headers)
    assert me.status_code == 200
    [row] = me.json["d"]["results"]
    assert row["CurrentDivision"] == DIVISION and row["UserName"] and row["FullName"]
    assert row["__metadata"]["type"] == "Exact.Web.Api.System.Me"

    url = f"/api/v1/{DIVISION}/system/Divisions?$select=Code,Description,Country,Currency,Hid"
    rows = client.get(url, headers=headers).json["d"]["results"]
    assert [(r["Code"], r["Description"], r["Country"], r["Currency"]) for r in rows] == [
        (131001, "Bakkerij De Vries B.V.", "NL", "EUR"), (131002, "De Vries Vastgoed B.V.", "NL", "EUR")]
    filtered = client.get(f"{url}&$filter=Code eq 131002", headers=headers).json["d"]["results"]
    assert [r["Code"] for r in filtered] == [131002]


def test_select_is_mandatory_and_honoured(client, headers):
    for path in (LINES, f"/api/v1/{DIVISION}/hrm/Costcenters", f"/api/v1/{DIVISION}/system/Divisions"):
        response = client.get(path, headers=headers)
        assert response.status_code == 400
        assert response.json["error"]["message"]["value"] == \
            "Please add a $select or a $top=1 statement to the query string."
    one = client.get(f"/api/v1/{DIVISION}/hrm/Costcenters?$top=1", headers=headers)
    assert one.status_code == 200 and len(one.json["d"]["results"]) == 1
    rows = client.get(f"{LINES}?$select=ID,AmountDC&$top=3", headers=headers).json["d"]["results"]
    assert [set(r) for r in rows] == [{"__metadata", "ID", "AmountDC"}] * 3
    unknown = client.get(f"{LINES}?$select=ID,Nope", headers=headers)
    assert unknown.status_code == 400 and "Nope" in unknown.json["error"]["message"]["value"]


def test_sync_accepts_only_the_timestamp_filter(client, headers):
    base = f"{LINES}?$select=ID,Timestamp"
    bad_filters = ("Timestamp gt 1", "Timestamp ge 1L", "EntryNumber gt 1L",
                   "Timestamp gt 1L and Timestamp gt 2L")
    for bad in bad_filters:
        assert client.get(f"{base}&$filter={bad}", headers=headers).status_code == 400, bad
    first = client.get(f"{base}&$filter=Timestamp gt 1L&$top=5", headers=headers).json["d"]["results"]
    pivot = first[2]["Timestamp"]
    after = client.get(f"{base}&$filter=Timestamp gt {pivot}L&$top=2", headers=headers).json["d"]["results"]
    assert [r["Timestamp"] for r in after] == [r["Timestamp"] for r in first[3:5]]


def test_full_sync_read_returns_every_line_once(exact, read_all):
    sizes: list[int] = []
    rows = read_all(f"{LINES}?$select=ID,AmountDC,Timestamp&$filter=Timestamp gt 1L", sizes)
    ledger = exact.ledger(DIVISION)
    assert len(rows) == sum(len(e.lines) for e in ledger.entries.values())
    assert len({r["ID"] for r in rows}) == len(rows)
    assert sizes[:-1] == [1000] * (len(sizes) - 1) and 0 < sizes[-1] <= 1000
    timestamps = [r["Timestamp"] for r in rows]
    assert timestamps == sorted(timestamps) and timestamps[0] > 2**31
    assert sum(Decimal(str(r["AmountDC"])) for r in rows) == 0


def test_standard_endpoints_page_by_60(exact, read_all, client, headers):
    path = f"/api/v1/{DIVISION}/financialtransaction/TransactionLines"
    assert client.get(f"{path}?$select=ID", headers=headers).status_code == 400  # mandatory filter
    sizes: list[int] = []
    march = "$filter=FinancialYear eq 2026 and FinancialPeriod eq 3"
    rows = read_all(f"{path}?$select=ID,FinancialYear,FinancialPeriod&{march}", sizes)
    expected = [line.id for entry, line in exact.ledger(DIVISION).lines()
                if entry.date.year == 2026 and entry.date.month == 3]
    assert sorted(r["ID"] for r in rows) == sorted(str(i) for i in expected)
    assert len(sizes) > 2 and sizes[:-1] == [60] * (len(sizes) - 1)
    top = client.get(f"{path}?$select=ID&$filter=FinancialYear eq 2026&$top=70", headers=headers).json["d"]
    assert len(top["results"]) == 60 and "$top=10" in top["__next"]


def test_transaction_line_fields(exact, read_all):
    fields = ",".join(ENTITY_SETS["sync/financial/transactionlines"].fields)
    rows = read_all(f"{LINES}?$select={fields}&$filter=Timestamp gt 1L")
    ledger = exact.ledger(DIVISION)
    opening = rows[0]
    assert opening["Type"] == 10 and opening["FinancialYear"] == 2025 and opening["Status"] == 50
    assert _when(opening["Date"]) == datetime(2025, 1, 1)
    sale = next(r for r in rows if r["Type"] == 20 and r["LineNumber"] == 0)
    entry = ledger.entry(sale["EntryNumber"])
    assert sale["ID"] == str(entry.lines[0].id) and sale["InvoiceNumber"] == entry.entry_number
    assert sale["AccountCode"].strip() == entry.relation.code and len(sale["AccountCode"]) == 18
    assert sale["GLAccountCode"] == ledger.chart.account("receivables").code
    assert re.fullmatch(r"[0-9a-f-]{36}", sale["GLAccount"]) and _DATE.match(sale["Modified"])
    revenue = next(r for r in rows if r["EntryNumber"] == sale["EntryNumber"] and r["LineNumber"] == 1)
    assert revenue["CostCenter"] and revenue["CostUnit"] and revenue["AmountVATFC"] < 0
    assert {r["Type"] for r in rows} >= {10, 20, 30, 40, 70, 90, 328}


def test_every_entity_set_serves_its_declared_fields(exact, client, headers):
    exact.advance_to_day(1)  # so sync/Deleted has rows
    for entity_set in ENTITY_SETS.values():
        query = "$select=*" + ("&$filter=FinancialYear eq 2026" if entity_set.filter_required else "")
        response = client.get(f"/api/v1/{DIVISION}/{entity_set.path}?{query}", headers=headers)
        assert response.status_code == 200, entity_set.path
        rows = response.json["d"]["results"]
        assert rows, entity_set.path
        assert list(rows[0])[1:] == list(entity_set.fields), entity_set.path
        raw = exact.feed(DIVISION).rows(entity_set.entity)[0]
        assert set(entity_set.fields) <= set(raw), entity_set.path


def test_open_items_and_assets_agree_with_the_ledger(exact, client, headers):
    ledger = exact.ledger(DIVISION)
    receivables = client.get(f"/api/v1/{DIVISION}/read/financial/ReceivablesList?$select=Id,Amount",
                             headers=headers).json["d"]["results"]
    expected = {str(i.id): i.amount for i in ledger.open_items if i.kind == "receivable"}
    assert {r["Id"]: Decimal(str(r["Amount"])) for r in receivables} == expected
    assets = client.get(f"/api/v1/{DIVISION}/assets/Assets?$select=Code,InvestmentAmountDC,PrimaryMethodCode",
                        headers=headers).json["d"]["results"]
    assert sorted(a["Code"] for a in assets) == sorted(a.code for a in ledger.fixed_assets)
    periods = client.get(f"/api/v1/{DIVISION}/financial/FinancialPeriods?$select=FinYear,FinPeriod",
                         headers=headers).json["d"]["results"]
    assert len(periods) == 24


def test_access_control(exact, client, headers):
    assert client.get("/api/v1/current/Me").status_code == 401
    bad = client.get("/api/v1/current/Me",
                     headers={"Authorization": "Bearer nope", "Accept": "application/json"})
    assert bad.status_code == 401 and "error" in bad.json
    assert client.get(f"/api/v1/999999/hrm/Costcenters?$select=ID", headers=headers).status_code == 403

    exact.remove_administration(131001)
    gone = client.get(f"{LINES}?$select=ID", headers=headers)
    assert gone.status_code == 403 and gone.headers["Reason"] == "NoDivisionAccess"
    assert gone.json["error"]["message"]["value"]
    assert [d.code for d in exact.divisions] == [131002]
    me = client.get("/api/v1/current/Me", headers=headers).json["d"]["results"][0]
    assert me["CurrentDivision"] == 131002
    codes = client.get("/api/v1/131002/system/Divisions?$select=Code", headers=headers).json["d"]["results"]
    assert [r["Code"] for r in codes] == [131002]


def test_xml_without_json_accept_and_unknown_resources(client, headers):
    xml = client.get(f"/api/v1/{DIVISION}/hrm/Costcenters?$select=Code",
                     headers={"Authorization": headers["Authorization"]})
    assert xml.status_code == 200 and xml.content_type.startswith("application/atom+xml")
    assert b"<d:Code>" in xml.data
    assert client.get(f"/api/v1/{DIVISION}/nope/Things?$select=ID", headers=headers).status_code == 404
    assert client.post(f"/api/v1/{DIVISION}/hrm/Costcenters", headers=headers).status_code == 405


def test_sandbox_environments():
    from monitr_sandbox.exact_online import SANDBOX_ENVIRONMENTS, ExactSandbox

    assert {env: [p.code for p in profiles] for env, profiles in SANDBOX_ENVIRONMENTS.items()} == {
        "nl": ["131001", "131002"], "be": ["240101", "240102"]}
    seeds = [p.seed for profiles in SANDBOX_ENVIRONMENTS.values() for p in profiles]
    assert len(set(seeds)) == 4
    sandbox = ExactSandbox("be")
    assert [(d.code, d.country, d.currency) for d in sandbox.divisions] == [
        (240101, "BE", "EUR"), (240102, "BE", "EUR")]
    for division in sandbox.divisions:
        ledger = sandbox.ledger(division.code)
        assert ledger.chart.country == "BE" and all(a.rgs_code is None for a in ledger.accounts)
        assert 3000 <= sum(len(e.lines) for e in ledger.entries.values()) <= 5000
    with pytest.raises(ValueError):
        ExactSandbox("xx")
