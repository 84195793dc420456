"""Reading GeneralLedger answers: posting lines from nested sections in both column styles, what is
not a posting, Intuit's truncation notice wherever it appears, and every way an answer can be
incomplete or garbled, each named with report and window."""

from datetime import UTC, date, datetime

import pytest

from monitr_pipeline.providers.quickbooks.general_ledger import (
    COLUMNS,
    TRUNCATION_NOTICE,
    ReportTruncated,
    read_report,
    report_params,
)

START, END = date(2026, 3, 1), date(2026, 3, 31)
NOTICE = f"{TRUNCATION_NOTICE}. Please reduce the date range."


def _posting(day: str, txn_type: str, txn_id: str, account: tuple[str, str], debit: str = "",
             credit: str = "", name: tuple[str, str] | None = None, klass: str = "") -> dict:
    cells = {
        "tx_date": {"value": day}, "txn_type": {"value": txn_type, "id": txn_id},
        "doc_num": {"value": ""}, "name": {"value": name[1], "id": name[0]} if name else {"value": ""},
        "memo": {"value": "memo"}, "account_name": {"value": account[1], "id": account[0]},
        "klass_name": {"value": klass}, "dept_name": {"value": ""},
        "debt_amt": {"value": debit}, "credit_amt": {"value": credit},
    }
    return {"ColData": [cells[key] for key in COLUMNS], "type": "Data"}


def _blank() -> dict:
    return {"ColData": [{"value": ""} for _ in COLUMNS], "type": "Data"}


def _section(account: tuple[str, str], rows: list[dict]) -> dict:
    header = [{"value": account[1], "id": account[0]}] + [{"value": ""}] * (len(COLUMNS) - 1)
    beginning = {"ColData": [{"value": "Beginning Balance"}] + [{"value": ""}] * (len(COLUMNS) - 1),
                 "type": "Data"}
    return {"Header": {"ColData": header}, "Rows": {"Row": [beginning, *rows]},
            "Summary": {"ColData": [{"value": f"Total for {account[1]}"}]}, "type": "Section"}


AR, SALES, BANK = ("36", "Accounts Receivable (A/R)"), ("1", "Sales"), ("35", "Checking")


def _answer(rows: list[dict], *, key_style: str = "MetaData", start: date = START,
            end: date = END) -> dict:
    def column(key: str) -> dict:
        if key_style == "MetaData":
            return {"ColTitle": key.title(), "ColType": "String",
                    "MetaData": [{"Name": "ColKey", "Value": key}]}
        return {"ColTitle": key.title(), "ColType": key}  # older answers: the key is the type

    return {"Header": {"Time": "2026-11-23T14:00:05-08:00", "ReportName": "GeneralLedger",
                       "ReportBasis": "Accrual", "StartPeriod": start.isoformat(),
                       "EndPeriod": end.isoformat(), "Currency": "EUR",
                       "Option": [{"Name": "NoReportData", "Value": "false"}]},
            "Columns": {"Column": [column(key) for key in COLUMNS]}, "Rows": {"Row": rows}}


def _invoice_and_payment() -> list[dict]:
    return [
        _section(AR, [_posting("2026-03-04", "Invoice", "65", AR, debit="15.00", name=("1", "Bill"))]),
        # A sub-account section nested in its parent, with a spacer row.
        {"Header": {"ColData": [{"value": "Income"}] + [{"value": ""}] * (len(COLUMNS) - 1)},
         "Rows": {"Row": [_section(SALES, [
             _posting("2026-03-04", "Invoice", "65", SALES, credit="12.50", klass="Design"),
             _posting("2026-03-04", "Invoice", "65", SALES, credit="2.50", klass="Design"),
             _blank()])]}, "type": "Section"},
        _section(BANK, [_posting("2026-03-20", "Bill Payment (Check)", "82", BANK, credit=".40")]),
        _section(AR, [_posting("2026-03-20", "Bill Payment (Check)", "82", AR, debit=".40")]),
    ]


@pytest.mark.parametrize("key_style", ["MetaData", "ColType"])
def test_postings_come_from_every_section_in_both_column_styles(key_style):
    answer = read_report(_answer(_invoice_and_payment(), key_style=key_style), START, END)
    assert answer.time == datetime(2026, 11, 23, 22, 0, 5, tzinfo=UTC)
    assert (answer.basis, answer.currency) == ("Accrual", "EUR")
    keyed = [(l["txn_entity"], l["txn_id"], l["line_number"], l["account_id"], l["debit"], l["credit"])
             for l in answer.lines]
    assert keyed == [("Invoice", "65", 1, "36", "15.00", None), ("Invoice", "65", 2, "1", None, "12.50"),
                     ("Invoice", "65", 3, "1", None, "2.50"),
                     ("BillPayment", "82", 1, "35", None, "0.40"),
                     ("BillPayment", "82", 2, "36", "0.40", None)]
    first = answer.lines[0]
    assert (first["txn_type"], first["name_id"], first["name"], first["tx_date"]) == \
        ("Invoice", "1", "Bill", "2026-03-04")
    assert answer.lines[1]["klass_name"] == "Design" and answer.lines[1]["klass_id"] is None


def test_unknown_transaction_types_keep_their_report_name():
    rows = [_section(BANK, [_posting("2026-03-02", "Inventory Starting Value", "73", BANK, debit="5")]),
            _section(SALES, [_posting("2026-03-02", "Inventory Starting Value", "73", SALES, credit="5")])]
    assert {line["txn_entity"] for line in read_report(_answer(rows), START, END).lines} == \
        {"Inventory Starting Value"}


def test_an_empty_window_has_no_lines():
    body = _answer([])
    body["Header"]["Option"] = [{"Name": "NoReportData", "Value": "true"}]
    assert read_report(body, START, END).lines == []


@pytest.mark.parametrize("where", ["row", "section header", "summary", "header option"])
def test_the_truncation_notice_is_found_wherever_it_is(where):
    body = _answer(_invoice_and_payment())
    notice = {"value": NOTICE}
    if where == "row":
        body["Rows"]["Row"].append({"ColData": [notice], "type": "Data"})
    elif where == "section header":
        body["Rows"]["Row"].append({"Header": {"ColData": [notice]}, "type": "Section"})
    elif where == "summary":
        body["Rows"]["Row"][0]["Summary"]["ColData"] = [notice]
    else:
        body["Header"]["Option"].append({"Name": "Note", "Value": NOTICE})
    with pytest.raises(ReportTruncated):
        read_report(body, START, END)


def _garbled(change) -> dict:
    body = _answer(_invoice_and_payment())
    change(body)
    return body


def _first_posting(body: dict) -> list[dict]:
    return body["Rows"]["Row"][0]["Rows"]["Row"][1]["ColData"]


@pytest.mark.parametrize("change, problem", [
    (lambda b: b.pop("Columns"), "no Columns"),
    (lambda b: b.pop("Rows"), "no report Header and Rows"),
    (lambda b: b["Columns"]["Column"].pop(COLUMNS.index("credit_amt")), "lacks the columns"),
    (lambda b: _first_posting(b).pop(), "cells for 10 columns"),
    (lambda b: _first_posting(b)[COLUMNS.index("debt_amt")].update(value="15,00x"),
     "debt_amt '15,00x' is not an amount"),
    (lambda b: _first_posting(b)[COLUMNS.index("debt_amt")].update(value="16.00"),
     "Invoice 65 does not balance: debits 16.00, credits 15.00"),
    (lambda b: _first_posting(b)[COLUMNS.index("tx_date")].update(value="2026-04-01"),
     "dated 2026-04-01, outside the window"),
    (lambda b: _first_posting(b)[COLUMNS.index("tx_date")].update(value="0-00-00"),
     "tx_date '0-00-00' is not a date"),
    (lambda b: _first_posting(b)[COLUMNS.index("account_name")].pop("id"), "without an account id"),
    (lambda b: b["Header"].update(StartPeriod="2026-02-01"), "covers 2026-02-01..2026-03-31"),
    (lambda b: b["Header"].update(Time="2026-11-23T14:00:05"), "has no UTC offset"),
])
def test_an_incomplete_or_garbled_answer_is_named(change, problem):
    with pytest.raises(ValueError) as raised:
        read_report(_garbled(change), START, END)
    assert str(raised.value).startswith("GeneralLedger 2026-03-01..2026-03-31: ")
    assert problem in str(raised.value)


def test_the_report_is_asked_on_the_accrual_basis_with_debit_and_credit_apart():
    params = report_params(START, END)
    assert params["accounting_method"] == "Accrual"
    assert (params["start_date"], params["end_date"]) == ("2026-03-01", "2026-03-31")
    assert {"debt_amt", "credit_amt", "klass_name", "dept_name"} <= set(params["columns"].split(","))
