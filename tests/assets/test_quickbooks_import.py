"""End to end: the real import job against the QuickBooks emulator, into the warehouse and the marts,
including its failure modes (expired and revoked tokens, 429, malformed pages, Faults with HTTP 200)."""

from decimal import Decimal

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.providers.quickbooks import ADAPTER as QUICKBOOKS
from monitr_pipeline.runner import run_import, run_transforms, sync_partitions
from monitr_pipeline.sandbox.quickbooks.tokens import OAuthError
from monitr_pipeline.warehouse import entry_balance, query, rows_per_mart

PROVIDER = "quickbooks"
ENTRIES = "raw_quickbooks.journal_entries"
JOURNAL_QUERY = r"/query\?.*FROM JournalEntry"


def _emulator(sandbox):
    return sandbox.emulators[(PROVIDER, "sandbox")]


def _entries_in_warehouse(settings, connection) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(
        settings, f"select id, sync_token, line from {ENTRIES} "
                  "where _monitr_entity_id = ?", (connection.entity_id,))}


def _warehouse_lines(settings, connection) -> tuple[int, Decimal]:
    """(lines, debits minus credits) over the raw journal entries' JSON lines."""
    [(count, total)] = query(settings, f"""
        select count(*), sum(case when (l.value -> 'JournalEntryLineDetail' ->> 'PostingType') = 'Credit'
                                  then -1 else 1 end * cast(l.value ->> 'Amount' as decimal(18, 2)))
        from {ENTRIES} e cross join json_each(cast(e.line as json)) l
        where e._monitr_entity_id = ?""",
                             (connection.entity_id,))
    return count, total


def _status(control, connection):
    return next(s for s in control.import_statuses(PROVIDER)
                if s.partition_key == connection.partition_key)


@pytest.fixture
def connection(seeded, control, instance):
    sync_partitions(control, instance)
    [connection] = control.connections(PROVIDER)
    return connection


def _assert_entries_match_the_books(settings, connection, ledger):
    loaded = _entries_in_warehouse(settings, connection)
    assert set(loaded) == {str(n) for n in ledger.entries}
    count, total = _warehouse_lines(settings, connection)
    assert count == sum(len(e.lines) for e in ledger.entries.values())
    assert total == Decimal(0)
    return loaded


def test_connect_import_rerun_and_import_changes(connection, control, settings, sandbox,
                                                 instance):
    """The consent names the company; the first import loads the books; a rerun changes nothing;
    a day later, with the access token expired and the refresh token's value changing, the
    import refreshes once, keeps the new refresh token and applies changes and deletions; the
    marts balance."""
    emulator = _emulator(sandbox)
    ledger = emulator.ledger(connection.external_id)
    assert connection.external_id == emulator.realm == \
        control.load_credentials(connection.integration_id)["realm_id"]
    assert connection.entity_name == ledger.profile.name
    # The code was exchanged (the emulator takes client credentials as HTTP Basic only).
    assert [path for _, path, _ in emulator.request_log].count("/oauth2/v1/tokens/bearer") == 1

    assert run_import(defs, instance, control, connection).success
    assert _status(control, connection).status == "Succeeded"
    first = _assert_entries_match_the_books(settings, connection, ledger)
    assert len(first) > 1000
    for table in ("accounts", "classes", "departments", "invoices", "bills", "company_info",
                  "preferences"):
        [(rows,)] = query(settings, f"select count(*) from raw_quickbooks.{table}")
        assert rows > 0, table

    assert run_import(defs, instance, control, connection).success
    assert _entries_in_warehouse(settings, connection) == first, "a rerun changed rows"

    emulator.refresh_rotation_seconds = 0  # Intuit hands out a new refresh token value
    old_refresh = control.load_credentials(connection.integration_id)["token"]["refresh_token"]
    emulator.expire_access_tokens()
    emulator.advance_to_day(1)
    calls_before = len(emulator.request_log)
    assert run_import(defs, instance, control, connection).success

    after = _assert_entries_match_the_books(settings, connection, ledger)
    assert set(first) - set(after), "the day deleted an entry"
    assert set(after) - set(first), "the day added entries"
    changed = [k for k in set(first) & set(after) if first[k] != after[k]]
    assert changed and all(after[k][0] == "1" for k in changed)  # SyncToken went up once
    [(deleted,)] = query(settings, "select count(*) from raw_quickbooks.cdc_changes "
                                   "where status = 'Deleted'")
    assert deleted == 1
    [(open_invoices,)] = query(settings, "select count(*) from raw_quickbooks.invoices")
    assert open_invoices == sum(1 for i in ledger.open_items if i.kind == "receivable")
    [(duplicates,)] = query(settings, f"select count(*) - count(distinct id) from {ENTRIES}")
    assert duplicates == 0
    # Incremental: a query per entity, one CDC call and one refresh, not a re-read of the books.
    calls = emulator.request_log[calls_before:]
    assert len(calls) < 15
    assert [path for _, path, _ in calls].count("/oauth2/v1/tokens/bearer") == 1
    journal = [q for _, _, q in calls if "FROM JournalEntry" in q]
    assert journal and all("MetaData.LastUpdatedTime >=" in q for q in journal)
    assert any(path.endswith("/cdc") and "changedSince" in q for _, path, q in calls)
    new_refresh = control.load_credentials(connection.integration_id)["token"]["refresh_token"]
    assert new_refresh != old_refresh
    with pytest.raises(OAuthError):
        emulator.tokens.refresh(old_refresh)  # only the kept one works now

    assert run_transforms(defs, instance)
    counts = rows_per_mart(settings)[connection.entity_id]
    assert counts["fct_gl_lines"] == sum(len(e.lines) for e in ledger.entries.values())
    assert counts["dim_accounts"] == len(ledger.accounts)
    assert counts["dim_fiscal_periods"] == 12 * len(ledger.fiscal_years)
    assert counts["fct_outstanding_items"] == len(ledger.open_items)
    assert counts["dim_analytical_axes"] == len(ledger.cost_centres) + len(ledger.cost_units)
    entries, unbalanced = entry_balance(settings)[connection.entity_id]
    assert entries == len(ledger.entries) and unbalanced == 0
    [(currency, unnamed, unknown_codes)] = query(settings, """
        select min(currency), sum(case when account_name is null then 1 else 0 end),
               sum(case when account_code in (select account_code from marts.dim_accounts
                                              where provider = ?) then 0 else 1 end)
        from marts.fct_gl_lines where provider = ?""", (PROVIDER, PROVIDER))
    assert (currency, unnamed, unknown_codes) == ("EUR", 0, 0)


def test_failures_fail_cleanly_and_the_next_import_recovers(connection, control, settings,
                                                            sandbox, instance, monkeypatch):
    """A 429 is retried; a malformed page or a Fault answered with HTTP 200 fails the import,
    naming entity, query and page, with nothing half-loaded; the next import recovers; a revoked
    consent fails with a reconnect reason."""
    emulator = _emulator(sandbox)
    ledger = emulator.ledger(connection.external_id)
    emulator.inject_fault(JOURNAL_QUERY, 429)  # QBO's XML ThrottleExceeded, no Retry-After
    monkeypatch.setattr(QUICKBOOKS, "throttle_wait_seconds", 0.01)
    waits, wait_for = [], QUICKBOOKS.seconds_to_wait
    monkeypatch.setattr(QUICKBOOKS, "seconds_to_wait",
                        lambda response: waits.append(wait_for(response)) or waits[-1])
    assert run_import(defs, instance, control, connection).success
    journal = [q for _, _, q in emulator.request_log if "FROM JournalEntry" in q]
    assert journal[0] == journal[1]  # the refused call, then the same call again
    assert [w for w in waits if w] == [0.01]  # the throttle window waited out once
    before = _assert_entries_match_the_books(settings, connection, ledger)

    emulator.advance_to_day(1)
    emulator.inject_fault(JOURNAL_QUERY, 200, body='{"QueryResponse": {"JournalEntry": [{"Id": "tr')
    assert not run_import(defs, instance, control, connection).success
    error = _status(control, connection).error
    assert connection.entity_name in error and "JournalEntry" in error
    assert "page 1 is malformed" in error
    assert _entries_in_warehouse(settings, connection) == before  # nothing half-loaded

    fault = ('{"Fault": {"Error": [{"Message": "An application error has occurred while processing '
             'your request", "Detail": "System Failure Error: Something you\'re trying to use has '
             'been made inactive.", "code": "10000"}], "type": "SystemFault"}, "time": "x"}')
    emulator.inject_fault(r"/query\?.*FROM Invoice", 200, body=fault)
    assert not run_import(defs, instance, control, connection).success
    error = _status(control, connection).error
    assert connection.entity_name in error and "made inactive" in error and "code 10000" in error
    assert "FROM Invoice" in error
    assert _entries_in_warehouse(settings, connection) == before

    assert run_import(defs, instance, control, connection).success
    _assert_entries_match_the_books(settings, connection, ledger)

    emulator.revoke_all_tokens()
    assert not run_import(defs, instance, control, connection).success
    status = _status(control, connection)
    assert status.status == "Failed"
    assert "reconnect" in status.error and connection.entity_name in status.error
    assert control.integration(connection.integration_id).health.value == "token_expired"
