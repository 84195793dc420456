"""The GeneralLedger report (`GET reports/GeneralLedger`): how it is asked for, and its answer read as
posting lines, one per report row that books an amount on an account.

Shape (Intuit's report reference, "GeneralLedger" and "JournalReport"; python-quickbooks and
node-quickbooks pass the answer through as is):

    {"Header": {"Time", "ReportName", "ReportBasis", "StartPeriod", "EndPeriod", "Currency",
                "Option": [{"Name": "NoReportData", "Value": "true|false"}]},
     "Columns": {"Column": [{"ColTitle", "ColType", "MetaData": [{"Name": "ColKey", "Value"}]}]},
     "Rows": {"Row": [{"type": "Section", "Header": {"ColData"}, "Rows": {"Row": [...]},
                       "Summary": {"ColData"}},
                      {"type": "Data", "ColData": [{"value", "id"}, ...]}]}}

Sections (one per account, nested for sub-accounts) hold Data rows, one per posting. A posting's
`txn_type` cell carries the transaction's display name and, as `id`, its id; `account_name` and
`name` carry the account's and the customer's or vendor's ids. Rows without a transaction id are
not postings ("Beginning Balance", blank spacers). Older answers name a column by its key in
`ColType`; newer ones put a generic type there and the key in `MetaData` ColKey: both are read.
Amounts are text ("1234.56", ".40"). A report Intuit cuts at its size limit (400,000 cells) ends
with a row "Unable to display more data. Please reduce the date range." and must not be read as
complete (robosystems' QuickBooks adapter tests; Intuit's report pages).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

PATH = "reports/GeneralLedger"
REPORT = "GeneralLedger"
# The columns asked for: what a GL line needs, debit and credit apart so no sign convention has
# to be guessed (the Amount column is signed per account type). klass_name and dept_name are the
# line's class and location (Intuit lists them when class and location tracking are on).
COLUMNS = ("tx_date", "txn_type", "doc_num", "name", "memo", "account_name", "klass_name",
           "dept_name", "debt_amt", "credit_amt")
REQUIRED_COLUMNS = frozenset({"tx_date", "txn_type", "account_name", "debt_amt", "credit_amt"})
TRUNCATION_NOTICE = "Unable to display more data"

# Transaction types as reports name them -> the entity the API (and change data capture) knows
# them by. A Purchase shows as Expense, Check or Credit Card Expense by its PaymentType.
TXN_ENTITIES: Mapping[str, str] = {
    "Invoice": "Invoice", "Credit Memo": "CreditMemo", "Sales Receipt": "SalesReceipt",
    "Refund": "RefundReceipt", "Payment": "Payment", "Deposit": "Deposit",
    "Bill": "Bill", "Vendor Credit": "VendorCredit", "Bill Payment (Check)": "BillPayment",
    "Bill Payment (Credit Card)": "BillPayment", "Expense": "Purchase", "Check": "Purchase",
    "Cash Expense": "Purchase", "Credit Card Expense": "Purchase", "Credit Card Credit": "Purchase",
    "Transfer": "Transfer", "Journal Entry": "JournalEntry",
}
# Every entity whose objects post to the ledger: change data capture is asked about these.
TRANSACTION_ENTITIES: tuple[str, ...] = tuple(sorted(set(TXN_ENTITIES.values())))


class ReportTruncated(Exception):
    """Intuit cut the report at its size limit: ask for a shorter window."""


def report_params(start: date, end: date) -> dict[str, str]:
    return {"start_date": start.isoformat(), "end_date": end.isoformat(),
            # Not the company's report preference, which may be Cash: the ledger is accrual.
            "accounting_method": "Accrual", "columns": ",".join(COLUMNS), "sort_by": "tx_date"}


def window_label(start: date, end: date) -> str:
    return f"{REPORT} {start.isoformat()}..{end.isoformat()}"


@dataclass(frozen=True)
class ReportAnswer:
    """One answer of the report: its window, when Intuit ran it (UTC) and its posting lines."""

    start: date
    end: date
    time: datetime
    basis: str | None
    currency: str | None
    lines: list[dict[str, Any]]


def read_report(body: Mapping[str, Any], start: date, end: date) -> ReportAnswer:
    """The posting lines of an answer for [start, end]. ReportTruncated when Intuit cut it;
    ValueError (naming report, window and what is wrong) when it is not a complete ledger."""
    label = window_label(start, end)
    try:
        return _read(body, start, end)
    except ReportTruncated:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"{label}: {exc}") from None


def _read(body: Mapping[str, Any], start: date, end: date) -> ReportAnswer:
    header, rows = body.get("Header"), body.get("Rows")
    if not isinstance(header, Mapping) or not isinstance(rows, Mapping):
        raise ValueError("the answer has no report Header and Rows")
    if _truncated(body):
        raise ReportTruncated(window_label(start, end))
    if header.get("StartPeriod") not in (None, start.isoformat()) or \
            header.get("EndPeriod") not in (None, end.isoformat()):
        raise ValueError(f"the answer covers {header.get('StartPeriod')}..{header.get('EndPeriod')}")
    keys = _column_keys(body)
    missing = REQUIRED_COLUMNS - set(keys)
    if missing:
        raise ValueError(f"the answer lacks the columns {sorted(missing)}")
    lines = _postings(_data_rows(rows), keys, start, end)
    return ReportAnswer(start, end, _header_time(header), header.get("ReportBasis"),
                        header.get("Currency"), lines)


def _truncated(body: Mapping[str, Any]) -> bool:
    """Whether Intuit's notice appears anywhere: a row, a section header or summary, an option."""

    def texts(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            for child in value.values():
                yield from texts(child)
        elif isinstance(value, list):
            for child in value:
                yield from texts(child)

    return any(TRUNCATION_NOTICE in text for text in texts(body))


def _column_keys(body: Mapping[str, Any]) -> list[str]:
    columns = (body.get("Columns") or {}).get("Column")
    if not isinstance(columns, list) or not columns:
        raise ValueError("the answer has no Columns")
    keys = []
    for column in columns:
        meta = {item.get("Name"): item.get("Value") for item in column.get("MetaData") or []}
        keys.append(meta.get("ColKey") or column.get("ColType"))
    return keys


def _header_time(header: Mapping[str, Any]) -> datetime:
    """When Intuit ran the report, to the second below: it is compared with object times, which
    are whole seconds, and a change in that same second may be missing from the report."""
    moment = datetime.fromisoformat(str(header.get("Time")))
    if moment.tzinfo is None:
        raise ValueError(f"the report Time {header.get('Time')!r} has no UTC offset")
    return moment.astimezone(UTC).replace(microsecond=0)


def _data_rows(rows: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every Data row, in report order, through nested sections."""
    for row in rows.get("Row") or []:
        if "ColData" in row and row.get("type", "Data") == "Data":
            yield row
        if isinstance(row.get("Rows"), Mapping):
            yield from _data_rows(row["Rows"])


def _postings(rows: Iterator[Mapping[str, Any]], keys: list[str], start: date, end: date
              ) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    per_transaction: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        cells = row["ColData"]
        if len(cells) != len(keys):
            raise ValueError(f"a row has {len(cells)} cells for {len(keys)} columns")
        cell = dict(zip(keys, cells, strict=True))
        txn_id = cell["txn_type"].get("id")
        if not txn_id:
            continue  # Beginning Balance, spacer rows: not postings
        line = _posting(cell, txn_id)
        booked = _date(line)
        if not start <= booked <= end:
            raise ValueError(f"{line['txn_type']} {txn_id} is dated {booked}, outside the window")
        siblings = per_transaction.setdefault((line["txn_entity"], txn_id), [])
        line["line_number"] = len(siblings) + 1
        siblings.append(line)
        lines.append(line)
    for (entity, txn_id), siblings in per_transaction.items():
        _check_transaction(entity, txn_id, siblings)
    return lines


def _posting(cell: Mapping[str, Mapping[str, Any]], txn_id: str) -> dict[str, Any]:
    txn_type = _text(cell, "txn_type")
    account_id = cell["account_name"].get("id")
    if not account_id:
        raise ValueError(f"{txn_type} {txn_id} has a line without an account id")
    return {
        "txn_entity": TXN_ENTITIES.get(txn_type, txn_type), "txn_type": txn_type, "txn_id": txn_id,
        "tx_date": _text(cell, "tx_date"), "doc_num": _text(cell, "doc_num"),
        "name_id": _id(cell, "name"), "name": _text(cell, "name"), "memo": _text(cell, "memo"),
        "account_id": account_id, "account_name": _text(cell, "account_name"),
        "klass_id": _id(cell, "klass_name"), "klass_name": _text(cell, "klass_name"),
        "dept_id": _id(cell, "dept_name"), "dept_name": _text(cell, "dept_name"),
        "debit": _money(cell, "debt_amt", txn_type, txn_id),
        "credit": _money(cell, "credit_amt", txn_type, txn_id),
    }


def _date(line: Mapping[str, Any]) -> date:
    try:
        return date.fromisoformat(line["tx_date"] or "")
    except ValueError:
        raise ValueError(f"{line['txn_type']} {line['txn_id']}: tx_date {line['tx_date']!r} is not "
                         "a date") from None


def _text(cell: Mapping[str, Mapping[str, Any]], key: str) -> str | None:
    value = cell.get(key, {}).get("value")
    return str(value) if value not in (None, "") else None


def _id(cell: Mapping[str, Mapping[str, Any]], key: str) -> str | None:
    value = cell.get(key, {}).get("id")
    return str(value) if value not in (None, "") else None


def _money(cell: Mapping[str, Mapping[str, Any]], key: str, txn_type: str, txn_id: str
           ) -> str | None:
    text = _text(cell, key)
    if text is None:
        return None
    try:
        return str(Decimal(text))
    except InvalidOperation:
        raise ValueError(f"{txn_type} {txn_id}: {key} {text!r} is not an amount") from None


def _check_transaction(entity: str, txn_id: str, lines: list[dict[str, Any]]) -> None:
    """A transaction's lines share its date and balance: anything else is a cut or garbled answer."""
    if len({line["tx_date"] for line in lines}) > 1:
        raise ValueError(f"{entity} {txn_id} has lines on different dates")
    debits = sum((Decimal(line["debit"] or 0) for line in lines), Decimal(0))
    credits = sum((Decimal(line["credit"] or 0) for line in lines), Decimal(0))
    if debits != credits:
        raise ValueError(f"{entity} {txn_id} does not balance: debits {debits}, credits {credits}")
