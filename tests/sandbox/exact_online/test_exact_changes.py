"""Changes over time: day mutations, deterministic Timestamps across restarts, sync/Deleted."""

from __future__ import annotations

from datetime import date

from monitr_sandbox.exact_online import ExactSandbox, create_app

DIVISION = 131001
LINES = (f"/api/v1/{DIVISION}/sync/Financial/TransactionLines"
         "?$select=ID,EntryNumber,Description,CostCenter,Timestamp")
DELETED = f"/api/v1/{DIVISION}/sync/Deleted?$select=EntityKey,EntityType,Timestamp,DeletedDate"


def _since(read_all, url: str, timestamp: int) -> list[dict]:
    return read_all(f"{url}&$filter=Timestamp gt {timestamp}L")


def test_a_day_shows_up_as_newer_timestamps_and_deletions(exact, read_all):
    base = _since(read_all, LINES, 1)
    high_water = max(r["Timestamp"] for r in base)
    assert _since(read_all, LINES, high_water) == []
    assert read_all(f"{DELETED}&$filter=Timestamp gt 1L") == []

    exact.advance_to_day(1)
    exact.advance_to_day(1)  # idempotent
    changes = _since(read_all, LINES, high_water)
    ledger = exact.ledger(DIVISION)
    added = [line.id for entry in ledger.entries.values() if entry.date == date(2026, 11, 21)
             for line in entry.lines]
    changed = [r for r in changes if "gecorrigeerd dag 1" in r["Description"]]
    assert len(changed) == 1
    assert {r["ID"] for r in changes} == {str(i) for i in added} | {changed[0]["ID"]}
    assert all(r["Timestamp"] > high_water for r in changes)

    logged = _since(read_all, DELETED, 1)
    # The day also removes a project time registration (EntityType 14, test_project_api.py).
    assert {r["EntityType"] for r in logged} == {1, 14}
    deleted = [r for r in logged if r["EntityType"] == 1]
    assert deleted
    deleted_ids = {r["EntityKey"] for r in deleted}
    remaining = {r["ID"] for r in _since(read_all, LINES, 1)}
    assert deleted_ids.isdisjoint(remaining)
    assert deleted_ids <= {r["ID"] for r in base}
    assert min(r["Timestamp"] for r in deleted) > high_water


def test_timestamps_are_the_same_after_a_restart(tmp_path):
    state = tmp_path / "exact.json"
    first = ExactSandbox("nl", state_path=state, day=2)
    rows_first = first.feed(DIVISION).rows("TransactionLines")
    deleted_first = first.feed(DIVISION).rows("Deleted")

    again = ExactSandbox("nl", state_path=state)  # day comes from the state file
    assert again.day == 2
    assert again.feed(DIVISION).rows("TransactionLines") == rows_first
    assert again.feed(DIVISION).rows("Deleted") == deleted_first

    again.advance_to_day(3)
    newest_before = max(r["Timestamp"] for r in rows_first + deleted_first)
    fresh = [r for r in again.feed(DIVISION).rows("TransactionLines") if r["Timestamp"] > newest_before]
    assert fresh and ExactSandbox("nl", state_path=state).day == 3


def test_manual_changes_sort_between_days(exact, read_all):
    high_water = max(r["Timestamp"] for r in _since(read_all, LINES, 1))
    entry = exact.add_entry(DIVISION, date=date(2026, 11, 20), description="Kasstorting",
                            lines=[("1100", "500.00"), ("1000", "-500.00")])
    target = next(line for e in exact.ledger(DIVISION).entries.values() if e.entry_type == "sales"
                  for line in e.lines[1:2])
    exact.change_line(DIVISION, target.id, description="Nieuwe omschrijving", cost_centre="900")
    deleted_entry = next(e for e in exact.ledger(DIVISION).entries.values() if e.entry_type == "bank")
    exact.delete_entry(DIVISION, deleted_entry.entry_number)

    changes = _since(read_all, LINES, high_water)
    assert {r["ID"] for r in changes} == {str(l.id) for l in entry.lines} | {str(target.id)}
    changed = next(r for r in changes if r["ID"] == str(target.id))
    assert (changed["Description"], changed["CostCenter"]) == ("Nieuwe omschrijving", "900")
    deleted = _since(read_all, DELETED, 1)
    assert {r["EntityKey"] for r in deleted} == {str(l.id) for l in deleted_entry.lines}

    manual_high = max(r["Timestamp"] for r in changes + deleted)
    exact.advance_to_day(1)
    assert all(r["Timestamp"] > manual_high for r in _since(read_all, LINES, manual_high))
    assert _since(read_all, LINES, manual_high)


def test_lazily_created_divisions_catch_up_with_the_day():
    eager = ExactSandbox("nl")
    eager.ledger(131002)
    eager.advance_to_day(2)
    lazy = ExactSandbox("nl", day=2)
    assert lazy.feed(131002).rows("TransactionLines") == eager.feed(131002).rows("TransactionLines")


def test_restarted_app_serves_identical_pages(tmp_path):
    state = tmp_path / "exact.json"
    pages = []
    for _ in range(2):
        sandbox = ExactSandbox("nl", state_path=state, day=1)
        client = create_app(sandbox).test_client()
        token = sandbox.issue_tokens()["access_token"]
        response = client.get(f"{LINES}&$filter=Timestamp gt 1L",
                              headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
        pages.append(response.json["d"])
    assert pages[0] == pages[1]
