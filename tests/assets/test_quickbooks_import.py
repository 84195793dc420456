"""End to end: the real import job against the QuickBooks emulator, into the warehouse and the marts:
the whole general ledger (every transaction type) from the GeneralLedger report, incremental
re-reads of only the changed months, and the failure modes (expired and revoked tokens, 429,
malformed reports, Faults with HTTP 200, reports cut at Intuit's size limit)."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.providers.quickbooks import ADAPTER as QUICKBOOKS
from monitr_pipeline.providers.quickbooks.ledger_months import month_start, spans
from monitr_pipeline.runner import run_import, run_transforms, sync_partitions
from monitr_sandbox.quickbooks.tokens import OAuthError
from monitr_sandbox.quickbooks.transactions import TRANSACTION_ENTITIES
from monitr_pipeline.warehouse import entry_balance, query, rows_per_mart

PROVIDER = "quickbooks"
MONTHS = "raw_quickbooks.general_ledger_months"
REPORT_PATH = "/reports/GeneralLedger"


def _emulator(sandbox):
    return sandbox.emulators[(PROVIDER, "sandbox")]


def _status(control, connection):
    return next(s for s in control.import_statuses(PROVIDER)
                if s.partition_key == connection.partition_key)


@pytest.fixture
def connection(seeded, control, instance):
    sync_partitions(control, instance)
    [connection] = control.connections(PROVIDER)
    return connection


def _months_in_warehouse(settings, connection) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(
        settings, f"select month, report_time, cast(lines as varchar) from {MONTHS} "
                  "where _monitr_entity_id = ?", (connection.entity_id,))}


def _raw_entities(settings, connection) -> set[str]:
    return {row[0] for row in query(settings, f"""
        select distinct l.value ->> 'txn_entity'
        from {MONTHS} m cross join json_each(cast(m.lines as json)) l
        where m._monitr_entity_id = ?""", (connection.entity_id,))}


def _raw_months_of(settings, connection, entity: str, txn_id: int) -> list[str]:
    return [row[0] for row in query(settings, f"""
        select distinct m.month
        from {MONTHS} m cross join json_each(cast(m.lines as json)) l
        where m._monitr_entity_id = ? and l.value ->> 'txn_entity' = ? and l.value ->> 'txn_id' = ?
        order by m.month""", (connection.entity_id, entity, str(txn_id)))]


def _raw_postings(settings, connection, emulator) -> dict[str, Counter]:
    """The raw month rows' lines, per transaction, as _ledger_postings has them."""
    account_codes = {a["Id"]: a["AcctNum"] for a in emulator.books.records("Account")}
    postings: dict[str, Counter] = {}
    for entity, txn_id, account, debit, credit in query(settings, f"""
            select l.value ->> 'txn_entity', l.value ->> 'txn_id', l.value ->> 'account_id',
                   cast(l.value ->> 'debit' as decimal(18, 2)),
                   cast(l.value ->> 'credit' as decimal(18, 2))
            from {MONTHS} m cross join json_each(cast(m.lines as json)) l
            where m._monitr_entity_id = ?""", (connection.entity_id,)):
        amount = (debit or 0) - (credit or 0)
        postings.setdefault(f"{entity}/{txn_id}", Counter())[(account_codes[account], amount)] += 1
    return postings


def _ledger_postings(emulator) -> dict[str, Counter]:
    """What the books post: per transaction (<entity>/<id>), its (account code, amount) lines."""
    return {f"{entity}/{entry.entry_number}": Counter((line.account_code, line.amount)
                                                       for line in entry.lines)
            for entry, entity in emulator.books.transactions_of()}


def _mart_postings(settings, connection) -> dict[str, Counter]:
    postings: dict[str, Counter] = {}
    for entry_id, account, amount in query(settings, """
            select source_entry_id, account_code, amount from marts.fct_gl_lines
            where provider = ? and entity_id = ?""", (PROVIDER, connection.entity_id)):
        postings.setdefault(entry_id, Counter())[(account, amount)] += 1
    return postings


def _report_windows(emulator, since: int = 0) -> list[tuple[date, date]]:
    windows = []
    for _, path, query_string in emulator.request_log[since:]:
        if path.endswith(REPORT_PATH):
            args = dict(part.split("=", 1) for part in query_string.split("&"))
            windows.append((date.fromisoformat(args["start_date"]),
                            date.fromisoformat(args["end_date"])))
    return windows


def _paths(emulator, since: int = 0) -> list[str]:
    return [path.rsplit("/", 1)[-1] if "/reports/" not in path else "reports"
            for _, path, _ in emulator.request_log[since:]]


def _changed_months(emulator, after: datetime) -> set[date]:
    """The months of the transactions the emulator changed (not deleted) after a moment."""
    books = emulator.books
    return {month_start(date.fromisoformat(record["TxnDate"]))
            for entity in sorted(TRANSACTION_ENTITIES) for record in books.records(entity)
            if datetime.fromisoformat(record["MetaData"]["LastUpdatedTime"]) >= after}


def _assert_marts_match_the_books(settings, connection, emulator):
    """Every transaction's lines in fct_gl_lines as the books post them; every transaction, and
    every fiscal period, balanced."""
    assert _mart_postings(settings, connection) == _ledger_postings(emulator)
    entries, unbalanced = entry_balance(settings)[connection.entity_id]
    assert entries == len(emulator.ledger(connection.external_id).entries) and unbalanced == 0
    assert query(settings, """
        select fiscal_year, fiscal_period from marts.fct_gl_lines where provider = ?
        group by fiscal_year, fiscal_period having abs(sum(amount)) > 0.005""", (PROVIDER,)) == []


def _first_window(emulator, after: datetime) -> str:
    start, end = spans(_changed_months(emulator, after))[0]
    return f"GeneralLedger {start}..{end}"


def test_full_import_loads_every_transaction_type(connection, control, settings, sandbox,
                                                   instance):
    """The consent names the company; the first import reads the GeneralLedger report month by
    month (in six-month requests) and every transaction type's lines reach raw and the marts,
    balanced per transaction, per entity and per fiscal period."""
    emulator = _emulator(sandbox)
    ledger = emulator.ledger(connection.external_id)
    assert connection.external_id == emulator.realm == \
        control.load_credentials(connection.integration_id)["realm_id"]
    assert connection.entity_name == ledger.profile.name

    assert run_import(defs, instance, control, connection).success
    assert _status(control, connection).status == "Succeeded"
    entities = set(emulator.books.entity_of.values())
    assert entities == {"Invoice", "CreditMemo", "Bill", "Payment", "BillPayment", "Purchase",
                        "Transfer", "JournalEntry"}
    assert _raw_entities(settings, connection) == entities
    assert _raw_postings(settings, connection, emulator) == _ledger_postings(emulator)
    first_month = min(entry.date for entry in ledger.entries.values()).replace(day=1)
    current = datetime.now(UTC).date().replace(day=1)
    months = set(_months_in_warehouse(settings, connection))
    assert len(months) == (current.year - first_month.year) * 12 + current.month - first_month.month + 1
    # Requests: the core months in six-month spans, one request for anything before the company's
    # start and one for anything after the current month; CompanyInfo once for the ledger, once
    # for its own table; change data capture only for the deletion log.
    windows = _report_windows(emulator)
    assert len(windows) == len(range(0, len(months), 6)) + 2
    assert all((end.year - start.year) * 12 + end.month - start.month < 6
               for start, end in windows[:-2])
    paths = _paths(emulator)
    assert paths.count("query") == 8 and paths.count("cdc") == 1  # 7 tables, CompanyInfo again

    assert run_transforms(defs, instance)
    _assert_marts_match_the_books(settings, connection, emulator)
    counts = rows_per_mart(settings)[connection.entity_id]
    assert counts["fct_gl_lines"] == sum(len(e.lines) for e in ledger.entries.values())
    assert counts["dim_accounts"] == len(ledger.accounts)
    assert counts["dim_fiscal_periods"] == 12 * len(ledger.fiscal_years)
    assert counts["fct_outstanding_items"] == len(ledger.open_items)
    assert counts["dim_analytical_axes"] == len(ledger.cost_centres) + len(ledger.cost_units)
    [(types, currency, unnamed, unknown_codes, centres, unknown_centres)] = query(settings, """
        select count(distinct journal_code), min(currency),
               sum(case when account_name is null then 1 else 0 end),
               sum(case when account_code in (select account_code from marts.dim_accounts
                                              where provider = ?) then 0 else 1 end),
               count(cost_centre_code),
               sum(case when cost_centre_code is null or cost_centre_code in (
                   select code from marts.dim_analytical_axes
                   where provider = ? and axis_type = 'cost_centre') then 0 else 1 end)
        from marts.fct_gl_lines where provider = ?""", (PROVIDER, PROVIDER, PROVIDER))
    assert (types, currency, unnamed, unknown_codes) == (len(entities), "EUR", 0, 0)
    # Classes come by name in the report; staging finds their ids.
    assert centres == sum(1 for _, line in ledger.lines() if line.cost_centre)
    assert unknown_centres == 0


def test_incremental_imports_read_only_changed_months(connection, control, settings, sandbox,
                                                      instance):
    """A rerun reads no report; after a day of bookkeeping (a new invoice and its payment, a
    corrected invoice line, a deleted journal entry), a deleted bill, a deleted journal entry in
    an otherwise unchanged month and a payment re-dated to another month, with
    the access token expired and the refresh token's value changing, the import refreshes once,
    asks change data capture and reads only the months the changed transactions are in; the
    marts then match the books again."""
    emulator = _emulator(sandbox)
    ledger = emulator.ledger(connection.external_id)
    assert run_import(defs, instance, control, connection).success
    first = _months_in_warehouse(settings, connection)

    calls_before = len(emulator.request_log)
    assert run_import(defs, instance, control, connection).success
    assert _report_windows(emulator, calls_before) == []
    assert _paths(emulator, calls_before).count("cdc") == 2  # the ledger's check and the log
    assert _months_in_warehouse(settings, connection) == first, "a rerun changed rows"

    emulator.refresh_rotation_seconds = 0  # Intuit hands out a new refresh token value
    old_refresh = control.load_credentials(connection.integration_id)["token"]["refresh_token"]
    emulator.expire_access_tokens()
    changed_after = datetime.fromtimestamp(emulator.now()).astimezone()
    emulator.advance_to_day(1)
    moved = next(entry for entry, entity in emulator.books.transactions_of("Payment")
                 if entry.date.year == ledger.fiscal_years[-1] and entry.date.month == 2)
    emulator.change_date(moved.entry_number, moved.date.replace(month=4))
    changed = _changed_months(emulator, changed_after)
    open_bill = next(item for item in ledger.open_items if item.kind == "payable"
                     and item.entry_number in ledger.entries)
    emulator.delete_entry(open_bill.entry_number)
    # A journal entry in a month nothing else changes in: only the deletion takes its lines out.
    memorial = next(entry for entry, _ in emulator.books.transactions_of("JournalEntry")
                    if entry.entry_type == "depreciation" and month_start(entry.date) not in changed)
    emulator.delete_entry(memorial.entry_number)
    [corrected] = [line for entry in ledger.entries.values() for line in entry.lines
                   if "(gecorrigeerd dag 1)" in line.description]

    calls_before = len(emulator.request_log)
    assert run_import(defs, instance, control, connection).success
    assert changed == _changed_months(emulator, changed_after)  # the deletion adds no month
    windows = _report_windows(emulator, calls_before)
    assert windows == spans(changed)  # exactly the changed months, consecutive ones together
    assert month_start(moved.date) in changed and month_start(moved.date.replace(month=2)) \
        not in changed
    paths = _paths(emulator, calls_before)
    # The first call meets the expired token (401), the refresh follows once, then the calls.
    assert paths[:3] == ["cdc", "bearer", "cdc"] and paths.count("bearer") == 1
    assert paths.count("cdc") == 3
    assert paths.count("query") == 7  # no CompanyInfo read for the ledger: not a full pass
    new_refresh = control.load_credentials(connection.integration_id)["token"]["refresh_token"]
    assert new_refresh != old_refresh
    with pytest.raises(OAuthError):
        emulator.tokens.refresh(old_refresh)  # only the kept one works now

    after = _months_in_warehouse(settings, connection)
    assert {month for month, row in after.items() if row != first.get(month)} == \
        {f"{month:%Y-%m}" for month in changed}
    [(deleted,)] = query(settings, "select count(*) from raw_quickbooks.cdc_changes "
                                   "where status = 'Deleted'")
    assert deleted == 3  # the day's journal entry, the bill and the depreciation entry
    [(bills,)] = query(settings, "select count(*) from raw_quickbooks.bills where id = ?",
                       (str(open_bill.entry_number),))
    assert bills == 0
    # Raw keeps what was read: the deleted entry in its month, the moved payment in both months.
    assert _raw_months_of(settings, connection, "JournalEntry", memorial.entry_number) == \
        [f"{memorial.date:%Y-%m}"]
    assert _raw_months_of(settings, connection, "Payment", moved.entry_number) == \
        [f"{moved.date:%Y-02}", f"{moved.date:%Y-04}"]

    assert run_transforms(defs, instance)
    _assert_marts_match_the_books(settings, connection, emulator)
    assert f"Bill/{open_bill.entry_number}" not in _mart_postings(settings, connection)
    assert f"JournalEntry/{memorial.entry_number}" not in _mart_postings(settings, connection)
    [(booked, count)] = query(settings, """
        select min(booking_date), count(*) from marts.fct_gl_lines
        where provider = ? and source_entry_id = ?""", (PROVIDER, f"Payment/{moved.entry_number}"))
    assert (booked, count) == (moved.date, len(moved.lines))  # once, on its new date
    [(centre, description)] = query(settings, """
        select a.name, l.description from marts.fct_gl_lines l
        join marts.dim_analytical_axes a on a.provider = l.provider and a.entity_id = l.entity_id
            and a.axis_type = 'cost_centre' and a.code = l.cost_centre_code
        where l.provider = ? and l.description like '%(gecorrigeerd dag 1)'""", (PROVIDER,))
    assert (centre, description) == (ledger.cost_centre(corrected.cost_centre).name,
                                     corrected.description)


def test_a_report_cut_at_the_size_limit_is_read_again_in_halves(connection, control, settings,
                                                                sandbox, instance):
    """Intuit cuts a report at 400,000 cells; the import asks for the cut window in halves, down
    to days, and still loads every line."""
    emulator = _emulator(sandbox)
    emulator.report_cell_limit = 1_500  # about 140 lines of ten columns
    assert run_import(defs, instance, control, connection).success
    windows = _report_windows(emulator)
    assert len(windows) > 40 and any(start.day > 1 for start, _ in windows)  # split within months
    assert _raw_postings(settings, connection, emulator) == _ledger_postings(emulator)


def test_failures_fail_cleanly_and_the_next_import_recovers(connection, control, settings,
                                                            sandbox, instance, monkeypatch):
    """A 429 is retried; a malformed report or a Fault answered with HTTP 200 fails the import,
    naming entity, report and window, with nothing half-loaded; the next import recovers; a
    revoked consent fails with a reconnect reason."""
    emulator = _emulator(sandbox)
    emulator.inject_fault(REPORT_PATH, 429)  # QBO's XML ThrottleExceeded, no Retry-After
    monkeypatch.setattr(QUICKBOOKS, "throttle_wait_seconds", 0.01)
    waits, wait_for = [], QUICKBOOKS.retry_wait
    monkeypatch.setattr(QUICKBOOKS, "retry_wait",
                        lambda response: waits.append(wait_for(response)) or waits[-1])
    assert run_import(defs, instance, control, connection).success
    windows = _report_windows(emulator)
    assert windows[0] == windows[1]  # the refused call, then the same call again
    assert [w for w in waits if w] == [0.01]  # the throttle window waited out once
    before = _months_in_warehouse(settings, connection)

    changed_after = datetime.fromtimestamp(emulator.now()).astimezone()
    emulator.advance_to_day(1)
    window = _first_window(emulator, changed_after)
    emulator.inject_fault(REPORT_PATH, 200, body='{"Header": {"ReportName": "GeneralLedger"}, "Ro')
    assert not run_import(defs, instance, control, connection).success
    error = _status(control, connection).error
    assert connection.entity_name in error and "reports/GeneralLedger" in error
    assert window in error and "is malformed" in error
    assert _months_in_warehouse(settings, connection) == before  # nothing half-loaded

    fault = ('{"Fault": {"Error": [{"Message": "An application error has occurred while processing '
             'your request", "Detail": "System Failure Error: Something you\'re trying to use has '
             'been made inactive.", "code": "10000"}], "type": "SystemFault"}, "time": "x"}')
    emulator.inject_fault(REPORT_PATH, 200, body=fault)
    assert not run_import(defs, instance, control, connection).success
    error = _status(control, connection).error
    assert connection.entity_name in error and "made inactive" in error and "code 10000" in error
    assert window in error
    assert _months_in_warehouse(settings, connection) == before

    assert run_import(defs, instance, control, connection).success
    day_month = f"{max(entry.date for entry in emulator.ledger(emulator.realm).entries.values()):%Y-%m}"
    assert _months_in_warehouse(settings, connection)[day_month] != before[day_month]

    emulator.revoke_all_tokens()
    assert not run_import(defs, instance, control, connection).success
    status = _status(control, connection)
    assert status.status == "Failed"
    assert "reconnect" in status.error and connection.entity_name in status.error
    assert control.integration(connection.integration_id).health.value == "token_expired"

