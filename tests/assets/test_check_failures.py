"""A failing dbt test's Dagster asset check names what failed: one raw GL line's amount changed
in the warehouse unbalances its entry, and the entry-balance checks say which entity, period and
entry, and by how much (computed from the emulator's ledger), as the CLI's failed tests do."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from dagster import AssetKey, DagsterEventType

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.warehouse import warehouse_lock

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs

PROVIDER = "exact_online"
RAW_LINES = "raw_exact_online.gl_transaction_lines"
# What the changed line is off by: its entry's lines then sum to this instead of zero.
CHANGE = Decimal("10.00")


@pytest.fixture(scope="module")
def broken(world):
    """One Exact entity imported and one line of one of its sales entries (in the emulator's
    ledger) off by CHANGE in the raw table; then fct_entry_balances and fct_gl_lines built with
    what they read. Returns the connection, the entry and its fiscal period, and the outcome."""
    connection = world.connections(PROVIDER)[0]
    assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    emulator = world.sandbox.emulators[(PROVIDER, connection.environment)]
    ledger = emulator.ledger(int(connection.external_id))
    entry = next(e for e in ledger.entries.values() if e.entry_type == "sales" and len(e.lines) > 1)
    period = next(p for p in ledger.periods if p.start <= entry.date <= p.end)
    with warehouse_lock(world.settings, "the check failures test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as warehouse:
        changed = warehouse.execute(
            f"update {RAW_LINES} set amount_dc = amount_dc + ? "
            "where _monitr_entity_id = ? and id = ? returning id",
            (CHANGE, connection.entity_id, str(entry.lines[0].id))).fetchall()
    assert len(changed) == 1, "the ledger's line is in the raw table"
    outcome = run_transform_job(defs, world.instance, models=dbt_models(
        defs, "+fct_entry_balances +fct_gl_lines"))
    return connection, entry, period, outcome


def _failed_evaluations(instance, run_id: str) -> dict[str, object]:
    """check name -> the failed check evaluation as Dagster stored it (what its UI shows)."""
    records = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    evaluations = [r.dagster_event.event_specific_data for r in records]
    return {e.check_name: e for e in evaluations if not e.passed}


def test_entry_balance_check_names_entity_period_entry_and_difference(world, broken):
    connection, entry, period, outcome = broken
    assert not outcome.success, "an unbalanced entry fails the build"
    difference = entry.total + CHANGE
    named = (f"entity {connection.entity_id} ({PROVIDER}) {period.year}/{period.period:02d} "
             f"entry {entry.id}: difference {difference:.2f}")
    evaluations = _failed_evaluations(world.instance, outcome.run_id)
    check = evaluations["fct_entry_balances_every_entry_balances"]
    assert check.asset_key == AssetKey(["marts", "fct_entry_balances"])
    assert check.description == f"1 failing row: {named}"
    assert check.metadata["failing_row_count"].value == 1
    table = check.metadata["failing_rows"].value
    header, _, *rows = table.strip().splitlines()
    assert header.split(" | ")[:3] == ["| provider", "organisation_id", "entity_id"]
    assert len(rows) == 1 and str(entry.id) in rows[0] and f"{difference:.2f}" in rows[0]


def test_entry_balance_without_period_still_names_entity_entry_and_difference(world, broken):
    """fct_gl_lines' own per-entry test (the generic `balanced`: no period in its rows, its
    difference called imbalance) names what it has."""
    connection, entry, _, outcome = broken
    check = _failed_evaluations(world.instance, outcome.run_id)["fct_gl_lines_balance_per_entry"]
    assert check.description == (f"1 failing row: entity {connection.entity_id} ({PROVIDER}) "
                                 f"entry {entry.id}: difference {entry.total + CHANGE:.2f}")


def test_runner_failed_tests_name_them(world, broken):
    connection, entry, period, outcome = broken
    assert (f"marts/fct_entry_balances: fct_entry_balances_every_entry_balances: 1 failing row: "
            f"entity {connection.entity_id} ({PROVIDER}) {period.year}/{period.period:02d} "
            f"entry {entry.id}: difference {entry.total + CHANGE:.2f}") in outcome.failed_tests


def test_passing_checks_carry_no_failing_rows(world, broken):
    """Only failed checks are read back: the others pass as dagster-dbt made them."""
    _, _, _, outcome = broken
    records = world.instance.all_logs(outcome.run_id,
                                      of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    passed = [r.dagster_event.event_specific_data for r in records
              if r.dagster_event.event_specific_data.passed]
    assert passed, "the unbroken checks ran"
    assert not [e.check_name for e in passed if "failing_rows" in e.metadata]
