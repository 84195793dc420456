"""The sandbox company's books as QBO objects: balanced journal entries from the ledger, documents
with their open balance, times that only move forward, and change data capture."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from monitr_pipeline.sandbox.quickbooks import QuickBooksSandbox, create_app


def _signed(line: dict) -> Decimal:
    detail = line["JournalEntryLineDetail"]
    sign = -1 if detail["PostingType"] == "Credit" else 1
    return sign * Decimal(str(line["Amount"]))


def _cdc(client, headers, qbo, since: datetime, entities: str = "JournalEntry"):
    return client.get(f"/v3/company/{qbo.realm}/cdc", headers=headers,
                      query_string={"entities": entities, "changedSince": since.isoformat()})


def test_every_ledger_entry_is_a_balanced_journal_entry(qbo):
    ledger = qbo.ledger(qbo.realm)
    account_numbers = {a["Id"]: a["AcctNum"] for a in qbo.books.records("Account")}
    entries = {e["Id"]: e for e in qbo.books.records("JournalEntry")}
    assert set(entries) == {str(n) for n in ledger.entries}
    for number, entry in ledger.entries.items():
        lines = entries[str(number)]["Line"]
        assert sum((_signed(line) for line in lines), Decimal(0)) == 0
        assert all(line["Amount"] >= 0 for line in lines)
        assert [_signed(line) for line in lines] == [line.amount for line in entry.lines]
        assert [account_numbers[line["JournalEntryLineDetail"]["AccountRef"]["value"]]
                for line in lines] == [line.account_code for line in entry.lines]


def test_dimensions_and_parties_travel_on_the_lines(qbo):
    classes = {c["Id"]: c["Name"] for c in qbo.books.records("Class")}
    departments = {d["Id"]: d["Name"] for d in qbo.books.records("Department")}
    details = [line["JournalEntryLineDetail"] for entry in qbo.books.records("JournalEntry")
               for line in entry["Line"]]
    with_class = [d for d in details if "ClassRef" in d]
    assert with_class and all(classes[d["ClassRef"]["value"]] == d["ClassRef"]["name"]
                              for d in with_class)
    assert all(d["DepartmentRef"]["value"] in departments for d in details if "DepartmentRef" in d)
    receivables = [d for d in details if d["AccountRef"]["name"] == "Debiteuren"]
    with_party = [d for d in receivables if "Entity" in d]
    assert with_party and all(d["Entity"]["Type"] == "Customer" for d in with_party)
    # Only a year's opening entry carries the receivables forward as one total, without a customer.
    openings = sum(1 for e in qbo.ledger(qbo.realm).entries.values() if e.entry_type == "opening")
    assert len(receivables) - len(with_party) < openings


def test_documents_carry_their_open_balance_and_unique_ids(qbo):
    for entity, kind in (("Invoice", "receivable"), ("Bill", "payable")):
        documents = qbo.books.records(entity)
        assert len({d["Id"] for d in documents}) == len(documents)
        open_items = {str(i.invoice_number): i.amount for i in qbo.ledger(qbo.realm).open_items if i.kind == kind}
        balances = {d["Id"]: Decimal(str(d["Balance"])) for d in documents if d["Balance"] > 0}
        assert balances == open_items


def test_history_is_written_before_the_sandbox_existed_and_days_after(qbo, clock):
    created = datetime.fromtimestamp(clock.now).astimezone()
    times = [datetime.fromisoformat(e["MetaData"]["LastUpdatedTime"])
             for e in qbo.books.records("JournalEntry")]
    assert max(times) < created
    clock.now += 600
    qbo.advance_to_day(1)
    changed = [e for e in qbo.books.records("JournalEntry")
               if datetime.fromisoformat(e["MetaData"]["LastUpdatedTime"]) > created]
    assert changed and all(datetime.fromisoformat(e["MetaData"]["LastUpdatedTime"]).timestamp()
                           == clock.now for e in changed)
    assert {e["SyncToken"] for e in changed} <= {"0", "1"}


def test_a_restart_replays_days_at_their_first_moments(tmp_path, clock):
    path = tmp_path / "state.json"
    first = QuickBooksSandbox(path, clock=clock)
    clock.now += 3600
    first.advance_to_day(2)
    clock.now += 86_400  # a restart a day later serves the same books and times
    restarted = QuickBooksSandbox(path, clock=clock)
    assert restarted.day == 2
    assert restarted.books.records("JournalEntry") == first.books.records("JournalEntry")
    assert restarted.books.deleted == first.books.deleted


def test_change_data_capture_returns_changes_and_deletions(client, headers, qbo, clock):
    since = datetime.fromtimestamp(clock.now).astimezone()
    clock.now += 60
    qbo.advance_to_day(1)
    response = _cdc(client, headers, qbo, since, "JournalEntry,Invoice")
    assert response.status_code == 200
    [journal, invoices] = response.json["CDCResponse"][0]["QueryResponse"]
    deleted = [e for e in journal["JournalEntry"] if e.get("status") == "Deleted"]
    assert len(deleted) == 1 and set(deleted[0]) == {"domain", "status", "Id", "MetaData"}
    assert not qbo.ledger(qbo.realm).has_entry(int(deleted[0]["Id"]))
    assert journal["maxResults"] == len(journal["JournalEntry"]) >= 3
    assert invoices["Invoice"]  # the new invoice and the one the day's receipt paid


def test_change_data_capture_looks_back_30_days_at_most(client, headers, qbo, clock):
    now = datetime.fromtimestamp(clock.now).astimezone()
    too_old = _cdc(client, headers, qbo, now - timedelta(days=31))
    assert too_old.status_code == 400
    assert "older than fixed days" in too_old.json["Fault"]["Error"][0]["Detail"]
    assert _cdc(client, headers, qbo, now - timedelta(days=29)).status_code == 200
    naive = client.get(f"/v3/company/{qbo.realm}/cdc", headers=headers,
                       query_string={"entities": "JournalEntry", "changedSince": "2026-01-01"})
    assert naive.status_code == 400


def test_change_data_capture_answers_at_most_1000_objects():
    # A sandbox created before its books' dates: the whole history is stamped just before then.
    created = 1_704_067_200  # 2024-01-01
    qbo = QuickBooksSandbox(clock=lambda: created)
    headers = {"Authorization": f"Bearer {qbo.issue_tokens()['access_token']}",
               "Accept": "application/json"}
    since = datetime.fromtimestamp(created - 86_400).astimezone()
    [journal] = _cdc(create_app(qbo).test_client(), headers, qbo, since).json[
        "CDCResponse"][0]["QueryResponse"]
    assert len(qbo.ledger(qbo.realm).entries) > 1000 and journal["totalCount"] == 1000
    times = [datetime.fromisoformat(e["MetaData"]["LastUpdatedTime"]) for e in journal["JournalEntry"]]
    assert times == sorted(times)  # oldest first
