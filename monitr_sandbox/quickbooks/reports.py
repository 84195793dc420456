"""The GeneralLedger report as the emulator answers it: `GET reports/GeneralLedger?start_date=
&end_date=&accounting_method=&columns=`, one Section per account holding a Data row per posting.

Sources: Intuit's report reference (GeneralLedger: query parameters, supported column keys, the
Header/Columns/Rows/Row/ColData/Summary shape with `type` Section or Data; JournalReport's sample:
amounts as text without a leading zero, ".40"; the transaction's id on the `txn_type` cell, the
account's on `account_name`, the customer's or vendor's on `name`); the TransactionListWithSplits
sample for columns named by `MetaData` ColKey; Intuit's size limit of 400,000 cells and the row
"Unable to display more data. Please reduce the date range." that ends a cut report (robosystems'
QuickBooks adapter tests).

Choices where the sources are silent: a Beginning Balance row opens each balance-sheet account's
section, with no amounts (running balances are not emulated); class and location cells carry the
name only; subt_nat_amount is debit minus credit; columns the emulator does not know are left out
of the answer; Cash basis is refused rather than answered wrongly; sort parameters are ignored
(rows go by date and transaction).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from monitr_sandbox.ledger import Entry, Line
from monitr_sandbox.quickbooks.books import CompanyBooks
from monitr_sandbox.quickbooks.objects import qbo_time
from monitr_sandbox.quickbooks.responses import QboFault
from monitr_sandbox.quickbooks.transactions import DISPLAY_NAMES, PARTY_TYPES, doc_number

CELL_LIMIT = 400_000
TRUNCATION_NOTICE = "Unable to display more data. Please reduce the date range."
# key -> (title, type) of the columns the emulator can show
COLUMNS: Mapping[str, tuple[str, str]] = {
    "tx_date": ("Date", "Date"), "txn_type": ("Transaction Type", "String"),
    "doc_num": ("Num", "String"), "name": ("Name", "String"), "memo": ("Memo/Description", "String"),
    "account_name": ("Account", "String"), "split_acc": ("Split", "String"),
    "klass_name": ("Class", "String"), "dept_name": ("Location", "String"),
    "debt_amt": ("Debit", "Money"), "credit_amt": ("Credit", "Money"),
    "subt_nat_amount": ("Amount", "Money"),
}
# Intuit's default columns, less those the emulator does not show (is_adj, rbal_nat_amount).
DEFAULT_COLUMNS = ("tx_date", "txn_type", "doc_num", "name", "memo", "split_acc", "klass_name",
                   "dept_name", "subt_nat_amount")
_MONEY = ("debt_amt", "credit_amt", "subt_nat_amount")


def _invalid(detail: str) -> QboFault:
    # The code of Intuit's report parameter errors was not found; 2010 as for other bad parameters.
    return QboFault(400, "Invalid report parameter", detail, "2010")


def money(value: Decimal) -> str:
    """As reports write amounts: two decimals, no leading zero (".40", "-.40", "1234.56")."""
    text = f"{value:.2f}"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


@dataclass(frozen=True)
class Posting:
    entry: Entry
    entity: str
    line: Line


def general_ledger(books: CompanyBooks, args: Mapping[str, str], now: float,
                   cell_limit: int = CELL_LIMIT) -> dict:
    start, end = _window(args, now)
    basis = args.get("accounting_method") or "Accrual"
    if basis != "Accrual":
        raise _invalid(f"accounting_method {basis!r}: the sandbox reports on the Accrual basis only")
    requested = [key.strip() for key in args.get("columns", "").split(",") if key.strip()]
    keys = [key for key in requested if key in COLUMNS] if requested else list(DEFAULT_COLUMNS)
    postings = [Posting(entry, entity, line) for entry, entity in books.transactions_of()
                if start <= entry.date <= end for line in entry.lines]
    renderer = _Renderer(books, keys)
    rows, cells = [], 0
    for account in books.ledger.accounts:
        section = renderer.section(account.code, [p for p in postings
                                                  if p.line.account_code == account.code])
        if section is None:
            continue
        size = _cells(section)
        if cells + size > cell_limit:
            rows.append(_cut(section, cell_limit - cells, len(keys)))
            rows.append({"ColData": [{"value": TRUNCATION_NOTICE}], "type": "Data"})
            break
        rows.append(section)
        cells += size
    return {
        "Header": {"Time": qbo_time(now), "ReportName": "GeneralLedger", "ReportBasis": basis,
                   "StartPeriod": start.isoformat(), "EndPeriod": end.isoformat(),
                   "Currency": books.ledger.profile.currency,
                   "Option": [{"Name": "NoReportData", "Value": "false" if postings else "true"}]},
        "Columns": {"Column": [{"ColTitle": COLUMNS[key][0], "ColType": COLUMNS[key][1],
                                "MetaData": [{"Name": "ColKey", "Value": key}]} for key in keys]},
        "Rows": {"Row": rows},
    }


def _window(args: Mapping[str, str], now: float) -> tuple[date, date]:
    if not args.get("start_date") and not args.get("end_date"):
        today = date.fromisoformat(qbo_time(now)[:10])  # date_macro's default: this year to date
        return date(today.year, 1, 1), today
    try:
        start, end = date.fromisoformat(args["start_date"]), date.fromisoformat(args["end_date"])
    except (KeyError, ValueError):
        raise _invalid("start_date and end_date must both be dates, YYYY-MM-DD") from None
    if start > end:
        raise _invalid("start_date must be less than end_date")
    return start, end


def _cells(row: dict) -> int:
    count = len(row.get("ColData", []))
    for part in ("Header", "Summary"):
        count += len(row.get(part, {}).get("ColData", []))
    return count + sum(_cells(child) for child in row.get("Rows", {}).get("Row", []))


def _cut(section: dict, room: int, width: int) -> dict:
    """The section's header and as many of its rows as fit; no summary (Intuit stops mid-list)."""
    kept = section["Rows"]["Row"][:max(0, room // width - 1)]
    return {"Header": section["Header"], "Rows": {"Row": kept}, "type": "Section"}


class _Renderer:
    def __init__(self, books: CompanyBooks, keys: list[str]):
        self.books, self.keys = books, keys
        self.mapper, self.chart = books.mapper, books.ledger.chart

    def section(self, account_code: str, postings: list[Posting]) -> dict | None:
        if not postings:
            return None
        account = self.chart.by_code[account_code]
        account_cell = {"value": account.name, "id": self.mapper.account_ids[account_code]}
        rows = [{"ColData": [values[key] for key in self.keys], "type": "Data"}
                for values in map(self._values, sorted(postings, key=lambda p: (
                    p.entry.date, p.entry.entry_number, p.line.line_number)))]
        if account.balance_type == "B":
            rows.insert(0, {"ColData": [{"value": "Beginning Balance"}]
                            + [{"value": ""}] * (len(self.keys) - 1), "type": "Data"})
        debit = sum((p.line.amount for p in postings if p.line.amount > 0), Decimal(0))
        credit = -sum((p.line.amount for p in postings if p.line.amount < 0), Decimal(0))
        totals = {"debt_amt": money(debit), "credit_amt": money(credit),
                  "subt_nat_amount": money(debit - credit)}
        summary = [{"value": f"Total for {account.name}"}] + [
            {"value": totals.get(key, "")} for key in self.keys[1:]]
        return {"Header": {"ColData": [account_cell] + [{"value": ""}] * (len(self.keys) - 1)},
                "Rows": {"Row": rows}, "Summary": {"ColData": summary}, "type": "Section"}

    def _values(self, posting: Posting) -> dict[str, dict]:
        """Every column's cell for one posting."""
        entry, line, ledger = posting.entry, posting.line, self.books.ledger
        relation = entry.relation if posting.entity in PARTY_TYPES else (
            line.open_item.relation if line.open_item else None)
        others = [other for other in entry.lines if other is not line]
        return {
            "tx_date": {"value": entry.date.isoformat()},
            "txn_type": {"value": DISPLAY_NAMES[posting.entity], "id": str(entry.entry_number)},
            "doc_num": {"value": doc_number(entry, posting.entity)},
            "name": {"value": relation.name, "id": relation.code} if relation else {"value": ""},
            "memo": {"value": line.description},
            "account_name": {"value": self.chart.by_code[line.account_code].name,
                             "id": self.mapper.account_ids[line.account_code]},
            "split_acc": {"value": self.chart.by_code[others[0].account_code].name
                          if len(others) == 1 else "-Split-"},
            "klass_name": {"value": ledger.cost_centre(line.cost_centre).name
                           if line.cost_centre else ""},
            "dept_name": {"value": ledger.cost_unit(line.cost_unit).name if line.cost_unit else ""},
            "debt_amt": {"value": money(line.amount) if line.amount > 0 else ""},
            "credit_amt": {"value": money(-line.amount) if line.amount < 0 else ""},
            "subt_nat_amount": {"value": money(line.amount)},
        }
