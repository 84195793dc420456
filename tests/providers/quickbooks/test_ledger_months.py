"""Which months an import reads and in how many requests: a full pass from the company's start (and
beyond it, where postings are), only the changed months afterwards, halves of a cut report."""

from datetime import UTC, date, datetime, timedelta

import pytest

from monitr_pipeline.providers.quickbooks.general_ledger import COLUMNS, PATH, TRUNCATION_NOTICE
from monitr_pipeline.providers.quickbooks.ledger_months import (
    LedgerMonths,
    full_pass_due,
    halves,
    spans,
)

NOW = datetime(2026, 11, 23, 22, 0, 30, tzinfo=UTC)


class FakeIntuit:
    """Answers the ledger's calls from a list of two-line transactions (date, id, amount); every
    answer's `time` is a second later than the one before. A report with more than `max_lines`
    lines is cut, as Intuit cuts one at 400,000 cells."""

    def __init__(self, transactions: list[tuple[str, str, str]], *, cdc_objects: list | None = None,
                 max_lines: int = 10_000):
        self.transactions, self.cdc_objects, self.max_lines = transactions, cdc_objects or [], max_lines
        self.calls: list[tuple[str, dict]] = []
        self.clock = datetime(2026, 11, 23, 22, 0, 0, 250_000, tzinfo=UTC)

    def time(self) -> str:
        self.clock += timedelta(seconds=1)
        return self.clock.astimezone(UTC).isoformat()

    def __call__(self, path: str, params: dict, context: str) -> dict:
        self.calls.append((path, dict(params)))
        if path == "query":
            return {"QueryResponse": {"CompanyInfo": [{"CompanyStartDate": "2025-01-01"}]},
                    "time": self.time()}
        if path == "cdc":
            return {"CDCResponse": [{"QueryResponse": [{"Invoice": self.cdc_objects}]}],
                    "time": self.time()}
        assert path == PATH
        return self.report(date.fromisoformat(params["start_date"]),
                           date.fromisoformat(params["end_date"]))

    def report(self, start: date, end: date) -> dict:
        rows = []
        for day, txn_id, amount in self.transactions:
            if start <= date.fromisoformat(day) <= end:
                rows += [self.row(day, txn_id, "35", debit=amount),
                         self.row(day, txn_id, "1", credit=amount)]
        if len(rows) > self.max_lines:
            rows = rows[:self.max_lines] + [{"ColData": [{"value": f"{TRUNCATION_NOTICE}."}]}]
        return {"Header": {"Time": self.time(), "StartPeriod": start.isoformat(),
                           "EndPeriod": end.isoformat(), "ReportBasis": "Accrual", "Currency": "EUR"},
                "Columns": {"Column": [{"ColType": key} for key in COLUMNS]},
                "Rows": {"Row": rows}}

    @staticmethod
    def row(day: str, txn_id: str, account: str, debit: str = "", credit: str = "") -> dict:
        cells = {key: {"value": ""} for key in COLUMNS}
        cells.update(tx_date={"value": day}, txn_type={"value": "Deposit", "id": txn_id},
                     account_name={"value": account, "id": account}, debt_amt={"value": debit},
                     credit_amt={"value": credit})
        return {"ColData": [cells[key] for key in COLUMNS], "type": "Data"}

    def report_windows(self) -> list[tuple[str, str]]:
        return [(params["start_date"], params["end_date"]) for path, params in self.calls
                if path == PATH]


def _rows(intuit: FakeIntuit, seen_until: datetime | None) -> list[dict]:
    return [row for page in LedgerMonths(intuit, NOW).pages(seen_until) for row in page]


def test_spans_take_consecutive_months_six_at_most():
    months = [date(2025, m, 1) for m in range(1, 13)] + [date(2026, 2, 1), date(2026, 3, 1),
                                                         date(2026, 9, 1)]
    assert spans(reversed(months)) == [
        (date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 12, 31)),
        (date(2026, 2, 1), date(2026, 3, 31)), (date(2026, 9, 1), date(2026, 9, 30))]
    assert spans([]) == []


def test_halves_split_at_a_month_boundary_then_by_days():
    assert halves(date(2025, 1, 1), date(2025, 6, 30)) == (
        (date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30)))
    assert halves(date(2026, 2, 1), date(2026, 2, 28)) == (
        (date(2026, 2, 1), date(2026, 2, 14)), (date(2026, 2, 15), date(2026, 2, 28)))
    assert halves(date(2026, 2, 14), date(2026, 2, 14)) is None


@pytest.mark.parametrize("seen_until, due", [
    (None, True),  # the first import
    (NOW - timedelta(days=30), True),  # change data capture no longer remembers that far
    (datetime(2026, 10, 31, 23, 0, tzinfo=UTC), True),  # a new calendar month
    (NOW - timedelta(days=20), False),
    (NOW - timedelta(minutes=5), False),
])
def test_a_full_pass_is_due_first_after_a_gap_and_each_month(seen_until, due):
    assert full_pass_due(seen_until, NOW) is due


def test_a_full_pass_reads_from_the_company_start_and_probes_before_and_after():
    intuit = FakeIntuit([("2024-06-30", "1", "10.00"), ("2025-01-02", "2", "20.00"),
                         ("2025-03-31", "3", ".50"), ("2026-11-21", "4", "40.00"),
                         ("2027-02-01", "5", "50.00")])
    rows = _rows(intuit, None)
    assert [path for path, _ in intuit.calls][:2] == ["query", PATH]
    assert intuit.report_windows() == [
        ("2025-01-01", "2025-06-30"), ("2025-07-01", "2025-12-31"), ("2026-01-01", "2026-06-30"),
        ("2026-07-01", "2026-11-30"), ("2000-01-01", "2024-12-31"), ("2026-12-01", "2027-12-31")]
    months = [row["Month"] for row in rows]
    # Every month of the company's known range, empty or not; beyond it only months with postings.
    assert months[:23] == [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)][:23]
    assert months[23:] == ["2024-06", "2027-02"]
    by_month = {row["Month"]: row for row in rows}
    assert by_month["2025-02"]["Lines"] == []
    assert [line["debit"] for line in by_month["2025-03"]["Lines"]] == ["0.50", None]
    assert (by_month["2025-03"]["StartDate"], by_month["2025-03"]["EndDate"]) == \
        ("2025-03-01", "2025-03-31")
    # One cursor for the import: the moment of its first answer, to the second below.
    assert {row["SeenUntil"] for row in rows} == {"2026-11-23T22:00:01+00:00"}
    assert by_month["2025-01"]["ReportTime"] == "2026-11-23T22:00:02+00:00"


def test_an_incremental_import_reads_only_the_months_of_changed_transactions():
    changed = [{"Id": "3", "TxnDate": "2026-03-04"}, {"Id": "4", "TxnDate": "2026-04-30"},
               {"Id": "9", "status": "Deleted"}, {"Id": "5", "TxnDate": "2026-11-21"},
               {"Id": "6", "TxnDate": "2026-03-20"}]
    intuit = FakeIntuit([("2026-03-04", "3", "1"), ("2026-04-30", "4", "2"),
                         ("2026-11-21", "5", "3"), ("2026-05-01", "7", "4")], cdc_objects=changed)
    seen_until = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    rows = _rows(intuit, seen_until)
    [(path, params), *_] = intuit.calls
    assert path == "cdc" and params["changedSince"] == "2026-11-20T09:30:00+00:00"
    assert {"Invoice", "Bill", "Payment", "JournalEntry"} <= set(params["entities"].split(","))
    assert intuit.report_windows() == [("2026-03-01", "2026-04-30"), ("2026-11-01", "2026-11-30")]
    assert [row["Month"] for row in rows] == ["2026-03", "2026-04", "2026-11"]
    assert {row["SeenUntil"] for row in rows} == {"2026-11-23T22:00:01+00:00"}  # the CDC answer


def test_nothing_changed_reads_no_report():
    intuit = FakeIntuit([("2026-03-04", "3", "1")])
    assert _rows(intuit, NOW - timedelta(hours=1)) == []
    assert [path for path, _ in intuit.calls] == ["cdc"]


def test_more_changes_than_one_answer_holds_mean_a_full_pass():
    changed = [{"Id": str(n), "TxnDate": "2026-03-04"} for n in range(1000)]
    intuit = FakeIntuit([("2026-03-04", "3", "1")], cdc_objects=changed)
    rows = _rows(intuit, NOW - timedelta(hours=1))
    assert [path for path, _ in intuit.calls][:2] == ["cdc", "query"]
    assert len(intuit.report_windows()) == 6 and len(rows) == 23


def test_a_cut_report_is_asked_again_in_halves_until_it_fits():
    days = [(f"2026-03-{day:02d}", str(day), "1.00") for day in range(1, 32)]
    intuit = FakeIntuit(days, cdc_objects=[{"Id": "1", "TxnDate": "2026-03-01"}], max_lines=20)
    [row] = _rows(intuit, NOW - timedelta(hours=1))
    assert intuit.report_windows() == [
        ("2026-03-01", "2026-03-31"), ("2026-03-01", "2026-03-16"), ("2026-03-01", "2026-03-08"),
        ("2026-03-09", "2026-03-16"), ("2026-03-17", "2026-03-31"), ("2026-03-17", "2026-03-24"),
        ("2026-03-25", "2026-03-31")]
    assert len(row["Lines"]) == 62 and len({line["txn_id"] for line in row["Lines"]}) == 31
    # The month's read time is its earliest complete answer's: a change after it may be missing.
    assert row["ReportTime"] == "2026-11-23T22:00:04+00:00"


def test_a_day_too_big_for_one_report_fails_naming_it():
    intuit = FakeIntuit([("2026-03-05", str(n), "1.00") for n in range(30)],
                        cdc_objects=[{"Id": "1", "TxnDate": "2026-03-05"}], max_lines=20)
    with pytest.raises(ValueError, match=r"GeneralLedger 2026-03-05\.\.2026-03-05: cut at Intuit's "
                                         r"size limit even for a single day"):
        _rows(intuit, NOW - timedelta(hours=1))


def test_a_changed_transaction_without_a_date_is_named():
    intuit = FakeIntuit([], cdc_objects=[{"Id": "12", "TxnDate": "03-04-2026"}])
    with pytest.raises(ValueError, match="cdc: Invoice 12 has TxnDate '03-04-2026'"):
        _rows(intuit, NOW - timedelta(hours=1))
