"""The sandbox company's books as QBO objects: each ledger entry booked as the transaction type its
document suggests, journal entries only for memorial bookings, documents with their open balance,
times that only move forward, and change data capture over every transaction type."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

from monitr_sandbox.quickbooks import QuickBooksSandbox, create_app
from monitr_sandbox.quickbooks.transactions import TRANSACTION_ENTITIES

ALL_TYPES = ",".join(sorted(TRANSACTION_ENTITIES))


def _signed(line: dict) -> Decimal:
    detail = line["JournalEntryLineDetail"]
    sign = -1 if detail["PostingType"] == "Credit" else 1
    return sign * Decimal(str(line["Amount"]))


def _cdc(client, headers, qbo, since: datetime, entities: str = ALL_TYPES):
    return client.get(f"/v3/company/{qbo.realm}/cdc", headers=headers,
                      query_string={"entities": entities, "changedSince": since.isoformat()})


def _ids(qbo, entity: str) -> set[str]:
    return {record["Id"] for record in qbo.books.records(entity)}


def test_every_entry_is_one_transaction_of_the_type_its_document_suggests(qbo):
    ledger = qbo.ledger(qbo.realm)
    types = Counter(qbo.books.entity_of.values())
    assert set(types) == {"Invoice", "CreditMemo", "Bill", "Payment", "BillPayment", "Purchase",
                          "Transfer", "JournalEntry"}
    assert sum(types.values()) == len(ledger.entries)
    by_type = {entity: {str(entry.entry_number) for entry, _ in qbo.books.transactions_of(entity)}
               for entity in types}
    for entity in ("CreditMemo", "Payment", "BillPayment", "Purchase", "Transfer", "JournalEntry"):
        assert _ids(qbo, entity) == by_type[entity], entity
    # Invoices and bills also include the documents carried in from before the books began.
    assert by_type["Invoice"] < _ids(qbo, "Invoice") and by_type["Bill"] < _ids(qbo, "Bill")
    memorial = {entry.entry_type for entry, _ in qbo.books.transactions_of("JournalEntry")}
    assert memorial == {"opening", "general", "depreciation"}
    assert qbo.books.records("SalesReceipt") == [] and qbo.books.records("Deposit") == []


def test_journal_entries_balance_and_carry_the_ledger_lines(qbo):
    ledger = qbo.ledger(qbo.realm)
    account_numbers = {a["Id"]: a["AcctNum"] for a in qbo.books.records("Account")}
    for record in qbo.books.records("JournalEntry"):
        entry = ledger.entry(int(record["Id"]))
        lines = record["Line"]
        assert sum((_signed(line) for line in lines), Decimal(0)) == 0
        assert [_signed(line) for line in lines] == [line.amount for line in entry.lines]
        assert [account_numbers[line["JournalEntryLineDetail"]["AccountRef"]["value"]]
                for line in lines] == [line.account_code for line in entry.lines]


def test_payments_and_bill_payments_link_what_they_settle(qbo):
    invoices, bills = _ids(qbo, "Invoice"), _ids(qbo, "Bill")
    bank = next(a["Id"] for a in qbo.books.records("Account") if a["AccountType"] == "Bank"
                and a["AccountSubType"] == "Checking")
    for payment in qbo.books.records("Payment"):
        [line] = payment["Line"]
        assert line["LinkedTxn"][0]["TxnType"] == "Invoice" and line["LinkedTxn"][0]["TxnId"] in invoices
        assert line["Amount"] == payment["TotalAmt"] > 0
        assert payment["DepositToAccountRef"]["value"] == bank
    for payment in qbo.books.records("BillPayment"):
        [line] = payment["Line"]
        assert line["LinkedTxn"][0]["TxnType"] == "Bill" and line["LinkedTxn"][0]["TxnId"] in bills
        assert payment["PayType"] == "Check" and payment["CheckPayment"]["BankAccountRef"]["value"] == bank


def test_expenses_and_transfers_move_money_out_of_the_bank(qbo):
    ledger = qbo.ledger(qbo.realm)
    for purchase in qbo.books.records("Purchase"):
        entry = ledger.entry(int(purchase["Id"]))
        bank_out = -sum(line.amount for line in entry.lines if line.amount < 0)
        assert Decimal(str(purchase["TotalAmt"])) == bank_out
        assert sum(Decimal(str(line["Amount"])) for line in purchase["Line"]) == bank_out
    for transfer in qbo.books.records("Transfer"):
        entry = ledger.entry(int(transfer["Id"]))
        assert Decimal(str(transfer["Amount"])) == max(line.amount for line in entry.lines)
        assert transfer["FromAccountRef"]["name"] == "Bank"


def test_documents_carry_their_open_balance_and_unique_ids(qbo):
    for entity, kind in (("Invoice", "receivable"), ("Bill", "payable")):
        documents = qbo.books.records(entity)
        assert len({d["Id"] for d in documents}) == len(documents)
        open_items = {str(i.invoice_number): i.amount for i in qbo.ledger(qbo.realm).open_items if i.kind == kind}
        balances = {d["Id"]: Decimal(str(d["Balance"])) for d in documents if d["Balance"] > 0}
        assert balances == open_items


def _transactions(qbo) -> list[dict]:
    return [record for entity in sorted(TRANSACTION_ENTITIES) for record in qbo.books.records(entity)]


def test_history_is_written_before_the_sandbox_existed_and_days_after(qbo, clock):
    created = datetime.fromtimestamp(clock.now).astimezone()
    times = [datetime.fromisoformat(e["MetaData"]["LastUpdatedTime"]) for e in _transactions(qbo)]
    assert max(times) < created
    clock.now += 600
    qbo.advance_to_day(1)
    changed = [e for e in _transactions(qbo)
               if datetime.fromisoformat(e["MetaData"]["LastUpdatedTime"]) > created]
    assert changed and all(datetime.fromisoformat(e["MetaData"]["LastUpdatedTime"]).timestamp()
                           == clock.now for e in changed)
    # The day's new invoice and its payment, the invoice that payment settles, the corrected one.
    assert len({e["Id"] for e in changed} & _ids(qbo, "Payment")) == 1
    assert len({e["Id"] for e in changed} & _ids(qbo, "Invoice")) >= 2
    assert {e["SyncToken"] for e in changed} <= {"0", "1"}


def test_a_restart_replays_days_at_their_first_moments(tmp_path, clock):
    path = tmp_path / "state.json"
    first = QuickBooksSandbox(path, clock=clock)
    clock.now += 3600
    first.advance_to_day(2)
    clock.now += 86_400  # a restart a day later serves the same books and times
    restarted = QuickBooksSandbox(path, clock=clock)
    assert restarted.day == 2
    assert _transactions(restarted) == _transactions(first)
    assert restarted.books.deleted == first.books.deleted


def test_a_moved_transaction_changes_its_date_and_nothing_else(qbo, clock):
    payment = qbo.books.records("Payment")[0]
    clock.now += 60
    qbo.change_date(int(payment["Id"]), date(2026, 4, 30))
    [moved] = [p for p in qbo.books.records("Payment") if p["Id"] == payment["Id"]]
    assert moved["TxnDate"] == "2026-04-30" and moved["TotalAmt"] == payment["TotalAmt"]
    assert moved["MetaData"]["LastUpdatedTime"] > payment["MetaData"]["LastUpdatedTime"]


def test_change_data_capture_returns_changes_and_deletions_of_every_type(client, headers, qbo,
                                                                         clock):
    since = datetime.fromtimestamp(clock.now).astimezone()
    clock.now += 60
    qbo.advance_to_day(1)
    bill = next(item for item in qbo.ledger(qbo.realm).open_items if item.kind == "payable")
    qbo.delete_entry(bill.entry_number)
    response = _cdc(client, headers, qbo, since)
    assert response.status_code == 200
    groups = {entity: objects for group in response.json["CDCResponse"][0]["QueryResponse"]
              for entity, objects in group.items() if isinstance(objects, list)}
    deleted = {(entity, o["Id"]) for entity, objects in groups.items() for o in objects
               if o.get("status") == "Deleted"}
    assert ("Bill", str(bill.entry_number)) in deleted
    assert {entity for entity, _ in deleted} == {"Bill", "JournalEntry"}
    assert all(set(o) == {"domain", "status", "Id", "MetaData"} for objects in groups.values()
               for o in objects if o.get("status") == "Deleted")
    assert not qbo.ledger(qbo.realm).has_entry(bill.entry_number)
    changed = {entity for entity, objects in groups.items() if any("TxnDate" in o for o in objects)}
    assert changed == {"Invoice", "Payment"}  # a new one of each, the paid and the corrected invoice
    assert len(groups["Invoice"]) >= 2


def test_change_data_capture_looks_back_30_days_at_most(client, headers, qbo, clock):
    now = datetime.fromtimestamp(clock.now).astimezone()
    too_old = _cdc(client, headers, qbo, now - timedelta(days=31))
    assert too_old.status_code == 400
    assert "older than fixed days" in too_old.json["Fault"]["Error"][0]["Detail"]
    assert _cdc(client, headers, qbo, now - timedelta(days=29)).status_code == 200
    naive = client.get(f"/v3/company/{qbo.realm}/cdc", headers=headers,
                       query_string={"entities": "Invoice", "changedSince": "2026-01-01"})
    assert naive.status_code == 400


def test_change_data_capture_answers_the_1000_oldest_objects_over_all_types():
    # A sandbox created before its books' dates: the whole history is stamped just before then.
    created = 1_704_067_200  # 2024-01-01
    qbo = QuickBooksSandbox(clock=lambda: created)
    headers = {"Authorization": f"Bearer {qbo.issue_tokens()['access_token']}",
               "Accept": "application/json"}
    since = datetime.fromtimestamp(created - 86_400).astimezone()
    groups = _cdc(create_app(qbo).test_client(), headers, qbo, since).json[
        "CDCResponse"][0]["QueryResponse"]
    objects = [o for group in groups for value in group.values() if isinstance(value, list)
               for o in value]
    assert len(qbo.ledger(qbo.realm).entries) > 1000 and len(objects) == 1000
    times = sorted(datetime.fromisoformat(o["MetaData"]["LastUpdatedTime"]) for o in objects)
    later = [datetime.fromisoformat(record["MetaData"]["LastUpdatedTime"])
             for record in _transactions(qbo)
             if record["Id"] not in {o["Id"] for o in objects}]
    assert later and min(later) >= times[-1]  # nothing older was left out


def _control_totals(ledger) -> dict[str, Decimal]:
    """All-time sums of the lines on the receivables and payables control accounts."""
    chart = ledger.chart
    codes = {chart.account("receivables").code: "receivable", chart.account("payables").code: "payable"}
    totals = {"receivable": Decimal("0.00"), "payable": Decimal("0.00")}
    for _, line in ledger.lines():
        if line.account_code in codes:
            totals[codes[line.account_code]] += line.amount
    return totals


def _open_totals(ledger) -> dict[str, Decimal]:
    totals = {"receivable": Decimal("0.00"), "payable": Decimal("0.00")}
    for item in ledger.open_items:
        totals[item.kind] += item.amount if item.kind == "receivable" else -item.amount
    return totals


def test_control_accounts_hold_exactly_the_open_invoices_and_bills(qbo, clock):
    """QBO has no year-end closing: an account's balance is the sum of every transaction on it
    since the company began, and the AR and AP balances are the open invoices and bills. A later
    year's opening entry (which the generic ledger books) would count the balance sheet twice."""
    for realm in qbo._administration_ids():  # every company of the sandbox
        ledger = qbo.ledger(realm)
        assert len(ledger.fiscal_years) > 1  # a year carried forward is what is tested
        for day in (0, 2):
            if day:
                clock.now += 3600
                qbo.advance_to_day(day)
            assert _control_totals(ledger) == _open_totals(ledger), (realm, day)
            # The API says the same: the control accounts' CurrentBalance is what the open
            # invoices and bills still owe.
            accounts = {a["AcctNum"]: Decimal(str(a["CurrentBalance"]))
                        for a in qbo.books.records("Account")}
            for entity, category in (("Invoice", "receivables"), ("Bill", "payables")):
                owed = sum((Decimal(str(d["Balance"])) for d in qbo.books.records(entity)),
                           Decimal("0.00"))
                assert accounts[ledger.chart.account(category).code] == owed, (realm, day, entity)
        assert not [entry for entry in ledger.entries.values()
                    if entry.entry_type == "opening" and entry.fiscal_year != ledger.fiscal_years[0]]


def test_balance_sheet_runs_on_across_years_as_the_generic_ledger_carries_it(qbo):
    """Without year-opening entries nothing is lost: every balance-sheet account's all-time sum is
    the closing balance the generic ledger reaches through its opening entries (profit and loss of
    earlier years aside, which QBO moves to retained earnings in its reports only)."""
    from monitr_sandbox.ledger import balances, generate_ledger

    ledger = qbo.ledger(qbo.realm)
    generic = generate_ledger(ledger.profile)
    last = generic.fiscal_years[-1]
    expected = balances(generic, last)
    chart = ledger.chart
    all_time: dict[str, Decimal] = {}
    for _, line in ledger.lines():
        all_time[line.account_code] = all_time.get(line.account_code, Decimal("0.00")) + line.amount
    retained = chart.account("retained_earnings").code
    earlier_results = sum((amount for code, amount in all_time.items()
                           if chart.by_code[code].balance_type == "W"), Decimal("0.00")) - sum(
        (amount for code, amount in expected.items() if chart.by_code[code].balance_type == "W"),
        Decimal("0.00"))
    for account in chart.accounts:
        if account.balance_type != "B":
            continue
        want = expected.get(account.code, Decimal("0.00"))
        if account.code == retained:
            want -= earlier_results
        assert all_time.get(account.code, Decimal("0.00")) == want, account.code
