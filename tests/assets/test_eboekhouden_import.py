"""End to end: the real import job against the e-Boekhouden emulator (sessions, N+1 mutation reads,
snapshot digests) into the warehouse and the marts, and the ways it fails and recovers."""

import re
from collections import defaultdict
from decimal import Decimal

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, run_transforms, sync_partitions
from monitr_pipeline.warehouse import entry_balance, query

PROVIDER = "eboekhouden"
ROWS = "raw_eboekhouden.mutation_rows"
LIST_PATH = "/v1/mutation"


@pytest.fixture
def emulator(sandbox):
    return sandbox.emulators[(PROVIDER, "default")]


@pytest.fixture
def connection(seeded, control, instance):
    sync_partitions(control, instance)
    [connection] = control.connections(PROVIDER)
    return connection


@pytest.fixture
def imported(connection, control, instance):
    assert run_import(defs, instance, control, connection).success
    return connection


def _raw_rows(settings, entity_id) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(
        settings, f"select mutation_row_id, mutation_id, row_amount, row_description, "
                  f"row_cost_center_id from {ROWS} where _monitr_entity_id = ?", (entity_id,))}


def _served_rows(emulator) -> dict[str, tuple]:
    """What e-Boekhouden serves now, keyed like the import keys it."""
    rows = {}
    for item in emulator.books.list_items():
        if item["type"] == 0:
            rows[f"0-{item['ledgerId']}"] = (0, Decimal(str(item["amount"])), None, None)
    for mutation_id, detail in emulator.books.details().items():
        for number, row in enumerate(detail["rows"] if mutation_id else [], start=1):
            rows[f"{mutation_id}-{number}"] = (mutation_id, Decimal(str(row["amount"])),
                                               row["description"] or None,
                                               row["costCenterId"] or 0)
    return rows


def _comparable(rows: dict[str, tuple]) -> dict[str, tuple]:
    return {key: (m, amount, description, centre or 0) for key, (m, amount, description, centre)
            in rows.items()}


def _status(control, connection):
    return next(s for s in control.import_statuses(PROVIDER)
                if s.partition_key == connection.partition_key)


def _calls(emulator, pattern: str, method: str = "GET", since: int = 0) -> list[str]:
    return [path for verb, path, _ in emulator.request_log[since:]
            if verb == method and re.fullmatch(pattern, path)]


def test_full_import_reads_every_mutation_once_and_the_marts_balance(imported, control, settings,
                                                                     emulator, instance):
    assert _status(control, imported).status == "Succeeded"
    loaded, served = _raw_rows(settings, imported.entity_id), _served_rows(emulator)
    assert _comparable(loaded) == _comparable(served) and len(loaded) > 500
    # N+1: one list call (limit 2000), then one detail call per mutation, the opening balance none.
    mutations = [m for m in emulator.books.details() if m]
    assert len(_calls(emulator, LIST_PATH)) == 1
    assert sorted(_calls(emulator, r"/v1/mutation/\d+")) == sorted(f"/v1/mutation/{m}" for m in mutations)
    for table, expected in (("ledgers", len(emulator.books.ledgers())), ("cost_centers", 5),
                            ("relations", len(emulator.books.relations())), ("administrations", 1),
                            ("outstanding_receivables", len(emulator.books.outstanding("D"))),
                            ("outstanding_payables", len(emulator.books.outstanding("C")))):
        [(count,)] = query(settings, f"select count(*) from raw_eboekhouden.{table}")
        assert count == expected > 0, table

    assert run_transforms(defs, instance)
    # Every mutation spelled out as lines lands on the accounts the sandbox ledger booked (VAT on
    # the VAT code's ledger), debit positive: per mutation and account, to the cent.
    marts = defaultdict(Decimal)
    for entry, account, amount in query(
            settings, "select source_entry_id, account_code, amount from marts.fct_gl_lines "
                      "where provider = ? and entity_id = ?", (PROVIDER, imported.entity_id)):
        marts[(int(entry), account)] += amount
    assert {k: v for k, v in marts.items() if v} == emulator.books.gl_totals()
    entries, unbalanced = entry_balance(settings)[imported.entity_id]
    assert entries == len(emulator.books.details()) and unbalanced == 0
    types = {t for (t,) in query(settings, "select distinct entry_type from marts.fct_gl_lines "
                                           "where provider = ?", (PROVIDER,))}
    assert {"opening", "sales", "sales_credit", "purchase", "bank", "general"} <= types
    [(periods, years)] = query(settings, "select count(*), count(distinct fiscal_year) from "
                                         "marts.dim_fiscal_periods where provider = ?", (PROVIDER,))
    assert (periods, years) == (24, 2)
    [(open_total,)] = query(settings, "select sum(open_amount) from marts.fct_outstanding_items "
                                      "where provider = ?", (PROVIDER,))
    assert open_total == sum(item.amount for item in emulator.ledger().open_items)


def test_incremental_import_reflects_changes_and_deletions(imported, control, settings, emulator,
                                                           instance):
    before = _raw_rows(settings, imported.entity_id)
    [day] = emulator.advance_to_day(1)
    assert day.added_entries and day.changed_lines and day.deleted_entries

    assert run_import(defs, instance, control, imported).success
    after = _raw_rows(settings, imported.entity_id)
    assert _comparable(after) == _comparable(_served_rows(emulator))  # no duplicates, none stale
    gone = {key for key in before if key not in after}
    assert gone and {before[key][0] for key in gone} == {
        emulator.books._ids[number] for number in day.deleted_entries}
    assert {after[key][0] for key in set(after) - set(before)} == {
        emulator.books.mutation_id(number) for number in day.added_entries}
    assert [k for k in set(before) & set(after) if before[k] != after[k]], "the day changed a row"
    status = _status(control, imported)
    assert status.status == "Succeeded" and 0 < status.rows_loaded < 30


def test_expired_session_and_429_are_waited_out_in_one_import(connection, control, settings,
                                                              emulator, instance):
    emulator.expire_sessions_after(100)  # mid-way through the detail calls
    emulator.inject_fault(r"^/v1/mutation/7$", 429, times=2, headers={"Retry-After": "1"})
    since = len(emulator.request_log)
    assert run_import(defs, instance, control, connection).success
    # The import's session, then one renewal after the 401: no retry storm, no failure.
    assert len(_calls(emulator, "/v1/session", "POST", since)) == 2
    assert _calls(emulator, "/v1/mutation/7") == ["/v1/mutation/7"] * 3  # two 429s, then served
    assert _comparable(_raw_rows(settings, connection.entity_id)) == _comparable(_served_rows(emulator))
    assert control.integration(connection.integration_id).health.value == "healthy"


def test_revoked_api_token_fails_with_the_reason_and_flags_the_integration(connection, control,
                                                                           emulator, instance):
    emulator.revoke_api_key()  # the user deleted the token in e-Boekhouden
    since = len(emulator.request_log)

    assert not run_import(defs, instance, control, connection).success
    status = _status(control, connection)
    assert status.status == "Failed"
    assert connection.entity_name in status.error and "refused the API token" in status.error
    assert "Invalid access token" in status.error and "reconnect" in status.error
    integration = control.integration(connection.integration_id)
    assert integration.health.value == "credentials_rejected"
    assert "Invalid access token" in integration.health_reason
    # Refused at the session: no data call was attempted with it.
    assert {path for _, path, _ in emulator.request_log[since:]} == {"/v1/session"}
    others = [c for c in control.connections() if c.provider != PROVIDER]
    assert others and all(control.integration(c.integration_id).health.value != "credentials_rejected"
                          for c in others)


def test_malformed_pages_fail_cleanly_and_the_next_import_recovers(imported, control, settings,
                                                                   emulator, instance):
    before = _raw_rows(settings, imported.entity_id)
    emulator.advance_to_day(1)

    emulator.inject_fault(r"^/v1/mutation\?", 200, body='{"items": [{"id": 0, "type": 0, "led')
    assert not run_import(defs, instance, control, imported).success
    error = _status(control, imported).error
    assert imported.entity_name in error and "v1/mutation page 1 is malformed" in error

    emulator.inject_fault(r"^/v1/mutation/12$", 200, body='{"id": 12, "rows": [{"ledgerId": 1')
    assert not run_import(defs, instance, control, imported).success
    error = _status(control, imported).error
    assert imported.entity_name in error and "mutation 12" in error and "malformed" in error
    assert _raw_rows(settings, imported.entity_id) == before  # nothing half-loaded

    assert run_import(defs, instance, control, imported).success
    assert _comparable(_raw_rows(settings, imported.entity_id)) == _comparable(_served_rows(emulator))
