"""The Exact emulator's project endpoints: time and cost registrations (sync and standard), project
budgets, their paging as Exact's other endpoints, and a day's added, corrected and removed
registrations."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from monitr_sandbox.exact_online import ExactSandbox
from monitr_sandbox.exact_online.endpoints import ENTITY_SETS
from monitr_sandbox.exact_online.projects import COST, TIME

DIVISION = 131001
SYNC = f"/api/v1/{DIVISION}/sync/Project/TimeCostTransactions"
FIELDS = ("ID,Type,Date,Project,ProjectCode,Employee,Item,ItemDescription,Quantity,PriceFC,AmountFC,"
          "Currency,HourStatus,Notes,Timestamp")
DELETED = f"/api/v1/{DIVISION}/sync/Deleted?$select=EntityKey,EntityType,Timestamp"
_DATE = re.compile(r"^/Date\((\d+)\)/$")


def _day(value: str) -> date:
    return datetime.utcfromtimestamp(int(_DATE.match(value).group(1)) / 1000).date()


def _since(read_all, timestamp: int, **kwargs) -> list[dict]:
    return read_all(f"{SYNC}?$select={FIELDS}&$filter=Timestamp gt {timestamp}L", **kwargs)


def test_time_and_cost_registrations_are_the_project_book(exact, client, headers, read_all):
    assert client.get(SYNC, headers=headers).status_code == 400  # $select is mandatory
    book = exact.feed(DIVISION).projects
    ledger = exact.ledger(DIVISION)
    rows = _since(read_all, 1)
    assert len(rows) == len(book.registrations) and {r["Type"] for r in rows} == {TIME, COST}
    projects = {p.code: p for p in ledger.projects}
    employees = {str(e.id) for e in book.employees}
    rates = {str(item.id): rate for item, rate in book.hour_types.values()}
    for row in rows:
        registration = book.registrations[UUID(row["ID"])]
        quantity, price = Decimal(str(row["Quantity"])), Decimal(str(row["PriceFC"]))
        assert Decimal(str(row["AmountFC"])) == (quantity * price).quantize(Decimal("0.01"))
        assert row["Project"] == str(projects[row["ProjectCode"]].id)
        assert _day(row["Date"]) == registration.date and quantity == registration.quantity
        assert row["Currency"] == "EUR" and row["HourStatus"] == 20
        if row["Type"] == TIME:
            # Hours per employee and week in quarter hours on weekdays, at the hour type's rate.
            assert row["Employee"] in employees
            assert price == rates[row["Item"]] and quantity % Decimal("0.25") == 0
            assert Decimal("1") <= quantity <= Decimal("8") and registration.date.weekday() < 5
        project = projects[row["ProjectCode"]]
        assert project.start_date <= registration.date
        assert project.end_date is None or registration.date <= project.end_date
    hours = [r for r in rows if r["Type"] == TIME]
    assert len({r["ProjectCode"] for r in hours}) == len(ledger.projects)


def test_sync_paging_and_filter_are_exacts(client, headers, read_all):
    sizes: list[int] = []
    everything = _since(read_all, 1)
    paged = read_all(f"{SYNC}?$select=ID,Timestamp&$filter=Timestamp gt 1L&$top=1000",
                     page_sizes=sizes)
    assert [r["ID"] for r in paged] == [r["ID"] for r in everything]
    timestamps = [r["Timestamp"] for r in everything]
    assert timestamps == sorted(timestamps) and min(timestamps) > 2**31  # Int64 rowversions
    assert sizes == [len(everything)]  # under a sync page (1,000 rows)
    # $top caps the answer (no __next); a $skiptoken Timestamp continues after it.
    first = client.get(f"{SYNC}?$select=ID,Timestamp&$filter=Timestamp gt 1L&$top=50",
                       headers=headers).json["d"]
    assert len(first["results"]) == 50 and "__next" not in first
    rest = read_all(f"{SYNC}?$select=ID,Timestamp&$filter=Timestamp gt 1L"
                    f"&$skiptoken={first['results'][-1]['Timestamp']}L")
    assert [r["ID"] for r in first["results"] + rest] == [r["ID"] for r in everything]
    refused = client.get(f"{SYNC}?$select=ID&$filter=Type eq 1", headers=headers)
    assert refused.status_code == 400
    assert "Timestamp gt" in refused.json["error"]["message"]["value"]


def test_standard_time_and_cost_transactions_page_by_60(exact, client, headers, read_all):
    book = exact.feed(DIVISION).projects
    assert sum(r.kind == TIME for r in book.registrations.values()) > 120  # three pages or more
    for path, kind in (("project/TimeTransactions", TIME), ("project/CostTransactions", COST)):
        entity_set = ENTITY_SETS[path.lower()]
        sizes: list[int] = []
        rows = read_all(f"/api/v1/{DIVISION}/{path}?$select=ID,Type,AmountFC,Amount,PriceFC,Price",
                        page_sizes=sizes)
        expected = {str(r.id) for r in book.registrations.values() if r.kind == kind}
        assert {r["ID"] for r in rows} == expected and {r["Type"] for r in rows} == {kind}
        assert sizes == [60] * (len(rows) // 60) + ([len(rows) % 60] if len(rows) % 60 else []), path
        assert all(r["Amount"] == r["AmountFC"] and r["Price"] == r["PriceFC"] for r in rows)
        served = client.get(f"/api/v1/{DIVISION}/{path}?$select=*&$top=1", headers=headers)
        assert list(served.json["d"]["results"][0])[1:] == list(entity_set.fields)
        uri = served.json["d"]["results"][0]["__metadata"]["uri"]
        assert uri.endswith(f"/api/v1/{DIVISION}/{path}(guid'{rows[0]['ID']}')")


def test_projects_carry_their_budgets(exact, read_all):
    rows = read_all(f"/api/v1/{DIVISION}/sync/Project/Projects?$select=Code,Type,"
                    "SalesTimeQuantity,BudgetedCosts,BudgetedAmount,BudgetedRevenue"
                    "&$filter=Timestamp gt 1L")
    budgets = exact.feed(DIVISION).projects.budgets
    assert {r["Code"]: (Decimal(str(r["SalesTimeQuantity"])), Decimal(str(r["BudgetedCosts"])))
            for r in rows} == {code: (b.hours, b.costs) for code, b in budgets.items()}
    non_billable = [r for r in rows if r["Type"] == 4]
    assert non_billable and all(r["SalesTimeQuantity"] == 0 and r["BudgetedCosts"] == 0
                                for r in non_billable)
    budgeted = [r for r in rows if r["Type"] != 4]
    assert budgeted and all(r["SalesTimeQuantity"] > 0 and r["BudgetedCosts"] > 0
                            and r["BudgetedRevenue"] >= r["BudgetedCosts"] for r in budgeted)


def test_a_day_adds_corrects_and_removes_a_registration(exact, read_all):
    base = _since(read_all, 1)
    high_water = max(r["Timestamp"] for r in base)
    before = {r["ID"]: r for r in base}
    exact.advance_to_day(1)
    changes = _since(read_all, high_water)
    added = [r for r in changes if r["ID"] not in before]
    [corrected] = [r for r in changes if r["ID"] in before]
    assert len(added) >= 2 and all(_day(r["Date"]) == date(2026, 11, 21) for r in added)
    was = Decimal(str(before[corrected["ID"]]["Quantity"]))
    assert Decimal(str(corrected["Quantity"])) == was + Decimal("0.5")
    assert "gecorrigeerd dag 1" in corrected["Notes"]
    removed = [r for r in read_all(f"{DELETED}&$filter=Timestamp gt {high_water}L")
               if r["EntityType"] == 14]
    assert len(removed) == 1 and removed[0]["EntityKey"] in before
    assert removed[0]["EntityKey"] not in {r["ID"] for r in _since(read_all, 1)}
    assert min(r["Timestamp"] for r in changes + removed) > high_water


def test_registrations_are_the_same_after_a_restart(tmp_path):
    state = tmp_path / "exact.json"
    first = ExactSandbox("nl", state_path=state, day=2)
    rows = first.feed(DIVISION).rows("TimeCostTransactions")
    again = ExactSandbox("nl", state_path=state)
    assert again.feed(DIVISION).rows("TimeCostTransactions") == rows
    assert again.feed(DIVISION).rows("Projects") == first.feed(DIVISION).rows("Projects")
