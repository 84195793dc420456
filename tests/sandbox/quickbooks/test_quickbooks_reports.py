"""The GeneralLedger report as emulated: Intuit's shape, every posting of the window once and
balanced per transaction, columns as asked, amounts as reports write them, the size limit and
its notice, and Faults for what the emulator does not answer."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from monitr_sandbox.quickbooks.reports import TRUNCATION_NOTICE, money
from monitr_sandbox.quickbooks.transactions import DISPLAY_NAMES

COLUMNS = "tx_date,txn_type,doc_num,name,memo,account_name,klass_name,dept_name,debt_amt,credit_amt"
MARCH = {"start_date": "2026-03-01", "end_date": "2026-03-31"}


@pytest.fixture
def report(client, headers, qbo):
    def run(**params) -> dict:
        response = client.get(f"/v3/company/{qbo.realm}/reports/GeneralLedger", headers=headers,
                              query_string={"minorversion": "75", **params})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json

    return run


def _keys(body: dict) -> list[str]:
    return [column["MetaData"][0]["Value"] for column in body["Columns"]["Column"]]


def _postings(body: dict) -> list[dict]:
    keys = _keys(body)
    return [dict(zip(keys, row["ColData"], strict=True)) for section in body["Rows"]["Row"]
            for row in section["Rows"]["Row"] if row["ColData"][keys.index("txn_type")].get("id")]


def _amount(cell: dict) -> Decimal:
    return Decimal(cell["value"] or "0")


def test_the_report_has_intuits_shape(report, qbo):
    body = report(**MARCH, accounting_method="Accrual", columns=COLUMNS)
    header = body["Header"]
    assert (header["ReportName"], header["ReportBasis"], header["Currency"]) == \
        ("GeneralLedger", "Accrual", "EUR")
    assert (header["StartPeriod"], header["EndPeriod"]) == ("2026-03-01", "2026-03-31")
    assert header["Option"] == [{"Name": "NoReportData", "Value": "false"}]
    assert header["Time"].endswith(("-08:00", "-07:00"))  # Intuit's clock
    assert _keys(body) == COLUMNS.split(",")
    assert body["Columns"]["Column"][-1]["ColTitle"] == "Credit"
    chart = qbo.ledger(qbo.realm).chart
    ids = {a["Id"]: a for a in qbo.books.records("Account")}
    sections = body["Rows"]["Row"]
    for section in sections:
        assert section["type"] == "Section"
        account = ids[section["Header"]["ColData"][0]["id"]]
        rows = section["Rows"]["Row"]
        opening = rows[0]["ColData"][0]["value"] == "Beginning Balance"
        assert opening == (chart.by_code[account["AcctNum"]].balance_type == "B")
        summary = section["Summary"]["ColData"]
        assert summary[0]["value"] == f"Total for {account['Name']}"
        postings = rows[1:] if opening else rows
        assert Decimal(summary[-2]["value"]) == sum(_amount(r["ColData"][-2]) for r in postings)
        assert Decimal(summary[-1]["value"]) == sum(_amount(r["ColData"][-1]) for r in postings)
    order = [ids[s["Header"]["ColData"][0]["id"]]["AcctNum"] for s in sections]
    assert order == sorted(order, key=[a.code for a in chart.accounts].index)  # chart order


def test_every_posting_of_the_window_appears_once_balanced_per_transaction(report, qbo):
    body = report(**MARCH, columns=COLUMNS)
    account_codes = {a["Id"]: a["AcctNum"] for a in qbo.books.records("Account")}
    by_transaction: dict[str, list] = defaultdict(list)
    for cells in _postings(body):
        amount = _amount(cells["debt_amt"]) - _amount(cells["credit_amt"])
        by_transaction[cells["txn_type"]["id"]].append(
            (cells["txn_type"]["value"], account_codes[cells["account_name"]["id"]], amount))
    expected = {str(entry.entry_number): sorted(
        (DISPLAY_NAMES[entity], line.account_code, line.amount) for line in entry.lines)
        for entry, entity in qbo.books.transactions_of()
        if date(2026, 3, 1) <= entry.date <= date(2026, 3, 31)}
    assert {txn: sorted(lines) for txn, lines in by_transaction.items()} == expected
    assert all(sum(amount for _, _, amount in lines) == 0 for lines in by_transaction.values())
    assert {lines[0][0] for lines in by_transaction.values()} >= {
        "Invoice", "Payment", "Bill", "Bill Payment (Check)", "Journal Entry", "Expense", "Transfer"}


def test_customers_vendors_classes_and_locations_travel_on_the_lines(report, qbo):
    ledger = qbo.ledger(qbo.realm)
    invoices = [cells for cells in _postings(report(**MARCH, columns=COLUMNS))
                if cells["txn_type"]["value"] == "Invoice"]
    for cells in invoices:
        entry = ledger.entry(int(cells["txn_type"]["id"]))
        assert cells["name"] == {"value": entry.relation.name, "id": entry.relation.code}
        assert cells["doc_num"]["value"] == str(entry.entry_number)
    classes = {cells["klass_name"]["value"] for cells in invoices} - {""}
    locations = {cells["dept_name"]["value"] for cells in invoices} - {""}
    assert classes and classes <= {c.name for c in ledger.cost_centres}
    assert locations and locations <= {u.name for u in ledger.cost_units}


def test_amounts_are_written_as_reports_write_them():
    assert [money(Decimal(value)) for value in ("0.40", "-0.40", "0", "1234.5", "-12.05")] == \
        [".40", "-.40", ".00", "1234.50", "-12.05"]


def test_columns_come_as_asked_and_unknown_ones_are_left_out(report):
    assert _keys(report(**MARCH, columns="debt_amt,no_such_column,tx_date")) == ["debt_amt", "tx_date"]
    default = _keys(report(**MARCH))
    assert default[:2] == ["tx_date", "txn_type"] and "subt_nat_amount" in default


def test_an_empty_window_says_there_is_no_report_data(report):
    body = report(start_date="2019-01-01", end_date="2019-12-31", columns=COLUMNS)
    assert body["Rows"]["Row"] == []
    assert body["Header"]["Option"] == [{"Name": "NoReportData", "Value": "true"}]


def test_a_report_over_the_cell_limit_is_cut_with_intuits_notice(report, qbo):
    qbo.report_cell_limit = 300
    rows = report(**MARCH, columns=COLUMNS)["Rows"]["Row"]
    assert rows[-1] == {"ColData": [{"value": TRUNCATION_NOTICE}], "type": "Data"}
    cut = rows[-2]
    assert "Summary" not in cut and len(cut["Rows"]["Row"]) < 30
    whole = len(COLUMNS.split(","))
    cells = sum(len(row["ColData"]) for section in rows[:-1] for row in section["Rows"]["Row"])
    assert cells + whole * (2 * len(rows[:-2]) + 1) <= 300


@pytest.mark.parametrize("params, detail", [
    ({**MARCH, "accounting_method": "Cash"}, "Accrual basis only"),
    ({"start_date": "2026-03-31", "end_date": "2026-03-01"}, "start_date must be less"),
    ({"start_date": "2026-03-01", "end_date": "31-03-2026"}, "YYYY-MM-DD"),
])
def test_parameters_the_emulator_cannot_answer_are_faults(client, headers, qbo, params, detail):
    response = client.get(f"/v3/company/{qbo.realm}/reports/GeneralLedger", headers=headers,
                          query_string=params)
    assert response.status_code == 400
    [error] = response.json["Fault"]["Error"]
    assert detail in error["Detail"] and response.json["Fault"]["type"] == "ValidationFault"


def test_reports_the_emulator_does_not_run_are_faults(client, headers, qbo):
    response = client.get(f"/v3/company/{qbo.realm}/reports/ProfitAndLoss", headers=headers)
    assert response.status_code == 400
    assert "ProfitAndLoss" in response.json["Fault"]["Error"][0]["Detail"]
