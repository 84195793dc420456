"""End to end: the real import job against the Exact emulator, into the warehouse and the marts."""

from decimal import Decimal

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, run_transforms
from monitr_pipeline.warehouse import entry_balance, query, rows_per_mart

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs

PROVIDER = "exact_online"
LINES = "raw_exact_online.gl_transaction_lines"


def _lines_in_warehouse(settings, entity_id):
    return {row[0]: row[1:] for row in query(
        settings, f"select id, amount_dc, description, cost_center from {LINES} "
                  "where _monitr_entity_id = ?", (entity_id,))}


def _ledger_lines(sandbox, connection):
    emulator = sandbox.emulators[("exact_online", connection.environment)]
    return [line for entry in emulator.ledger(int(connection.external_id)).entries.values()
            for line in entry.lines]


@pytest.fixture(scope="module")
def imported(world):
    """Every Exact entity imported once for the module (the tests below run in file order: the
    ones reading the day-0 imports first, then the ones that replay a day, each on its own
    entity)."""
    outcomes = [run_import(defs, world.instance, world.control, c)
                for c in world.connections(PROVIDER)]
    assert all(o.success for o in outcomes), [o.run_id for o in outcomes if not o.success]
    return outcomes


@pytest.fixture
def control(world):
    return world.control


@pytest.fixture
def settings(world):
    return world.settings


@pytest.fixture
def sandbox(world):
    return world.sandbox


@pytest.fixture
def instance(world):
    return world.instance


def test_full_import_loads_every_line_balanced(imported, control, settings, sandbox, instance):
    statuses = control.import_statuses(PROVIDER)
    assert len(statuses) == 4
    assert {s.status for s in statuses} == {"Succeeded"}
    for connection in control.connections(PROVIDER):
        loaded = _lines_in_warehouse(settings, connection.entity_id)
        ledger = _ledger_lines(sandbox, connection)
        assert len(loaded) == len(ledger) > 1000
        assert sum(amount for amount, *_ in loaded.values()) == Decimal(0)
    # Every other raw table got rows too, and the Dagster run recorded materialisations per table.
    for table in ("gl_accounts", "cost_centers", "financial_periods", "divisions", "fixed_assets",
                  "receivables_list", "payables_list", "projects", "cost_units"):
        [(count,)] = query(settings, f"select count(*) from raw_exact_online.{table}")
        assert count > 0, table
    run = instance.get_run_by_id(imported[0].run_id)
    assert run.is_success and run.tags["dagster/partition"] == control.connections(PROVIDER)[0].partition_key


def test_rerunning_an_import_changes_nothing(imported, control, settings, instance):
    connection = control.connections(PROVIDER)[1]
    before = _lines_in_warehouse(settings, connection.entity_id)
    assert run_import(defs, instance, control, connection).success
    assert _lines_in_warehouse(settings, connection.entity_id) == before
    status = next(s for s in control.import_statuses() if s.partition_key == connection.partition_key)
    assert status.status == "Succeeded"
    [(duplicates,)] = query(settings, f"select count(*) - count(distinct id) from {LINES}")
    assert duplicates == 0


def test_marts_balance_per_entity(imported, control, settings, instance):
    assert run_transforms(defs, instance)
    counts = rows_per_mart(settings)
    balance = entry_balance(settings)
    for connection in control.connections(PROVIDER):
        assert counts[connection.entity_id]["fct_gl_lines"] > 1000
        assert counts[connection.entity_id]["dim_accounts"] > 10
        assert counts[connection.entity_id]["dim_fiscal_periods"] >= 24
        entries, unbalanced = balance[connection.entity_id]
        assert entries > 100 and unbalanced == 0
    [(opening,)] = query(settings, "select count(*) from marts.fct_gl_lines "
                                   "where is_opening_entry and provider = ?", (PROVIDER,))
    assert opening > 0


def test_incremental_import_reflects_changes_and_deletions(imported, control, settings, sandbox,
                                                           instance):
    connection = control.connections(PROVIDER)[0]
    emulator = sandbox.emulators[("exact_online", connection.environment)]
    before = _lines_in_warehouse(settings, connection.entity_id)
    requests_before = len(emulator.request_log)

    emulator.advance_to_day(1)
    outcome = run_import(defs, instance, control, connection)
    assert outcome.success

    after = _lines_in_warehouse(settings, connection.entity_id)
    ledger = {str(line.id): line for line in _ledger_lines(sandbox, connection)}
    assert set(after) == set(ledger)  # no duplicates, deleted lines gone, new lines present
    assert set(before) - set(after), "the day deleted an entry"
    assert set(after) - set(before), "the day added entries"
    changed = [k for k in set(before) & set(after) if before[k] != after[k]]
    assert changed, "the day changed a line"
    assert sum(amount for amount, *_ in after.values()) == Decimal(0)
    status = next(s for s in control.import_statuses() if s.partition_key == connection.partition_key)
    assert status.status == "Succeeded" and 0 < status.rows_loaded < 100
    # Incremental: a handful of calls, not a re-read of the whole ledger.
    assert len(emulator.request_log) - requests_before < 20


def test_deletions_do_not_add_the_deletion_log_columns(imported, control, settings, sandbox,
                                                      instance):
    # Its own entity (a BE division; the incremental test replays the NL divisions' day).
    connection = control.connections(PROVIDER)[2]
    sandbox.emulators[("exact_online", connection.environment)].advance_to_day(1)
    assert run_import(defs, instance, control, connection).success
    [(deleted,)] = query(settings, "select count(*) from raw_exact_online.deleted_records "
                                   "where _monitr_entity_id = ?", (connection.entity_id,))
    assert deleted > 0
    columns = {name for (name,) in query(
        settings, "select column_name from information_schema.columns "
                  "where table_schema = 'raw_exact_online' and table_name = 'gl_transaction_lines'")}
    assert not columns & {"entity_key", "entity_type", "deleted_by", "deleted_date"}
