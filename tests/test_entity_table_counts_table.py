"""monitr.entity_table_counts and the check reading it: each import records an entity's rows per
raw table before and after its load; a fall the import's deletions explain passes, rows removed
from a raw table outside any import are flagged naming the entity, the table and both counts.
The tests run in file order on one Exact entity: first import, deletions at Exact, rows lost."""

from __future__ import annotations

import duckdb
import pytest
from dagster import DagsterEventType

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.warehouse import query, warehouse_lock

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs

PROVIDER = "exact_online"
TABLE = "gl_transaction_lines"
CHECK = "assert_entity_rows_do_not_drop_unexplained"


@pytest.fixture(scope="module")
def entity(world):
    """The entity, its emulator division, and its first import."""
    connection = world.connections(PROVIDER)[0]
    emulator = world.sandbox.emulators[(PROVIDER, connection.environment)]
    _import(world, connection)
    return connection, emulator, int(connection.external_id)


def _import(world, connection) -> None:
    assert run_import(defs, world.instance, world.control, connection, quiet=True).success


def _ledger_line_count(emulator, division: int) -> int:
    return sum(len(e.lines) for e in emulator.ledger(division).entries.values())


def _counts(world, entity_id: int) -> list[tuple[int, int]]:
    """(before, after) of each import of the entity's GL lines, oldest first."""
    return [(int(b), int(a)) for b, a in query(
        world.settings, "select rows_before_load, rows_after_load from monitr.entity_table_counts "
        "where entity_id = ? and table_name = ? order by counted_at", (entity_id, TABLE))]


def _check(world):
    """Build the counts' staging model and its checks; the drop check's evaluation."""
    outcome = run_transform_job(defs, world.instance,
                                models=dbt_models(defs, "stg_monitr__entity_table_counts"))
    assert outcome.success, outcome.error  # a warning: it fails no build
    records = world.instance.all_logs(outcome.run_id,
                                      of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    evaluations = {r.dagster_event.event_specific_data.check_name:
                   r.dagster_event.event_specific_data for r in records}
    return evaluations[CHECK], outcome


def test_an_import_records_the_rows_before_and_after_its_load(world, entity):
    connection, emulator, division = entity
    assert _counts(world, connection.entity_id) == [(0, _ledger_line_count(emulator, division))]
    tables = {t for (t,) in query(world.settings, "select table_name from monitr.entity_table_counts "
                                                  "where entity_id = ?", (connection.entity_id,))}
    assert {"gl_transaction_lines", "gl_accounts"} <= tables


def test_a_drop_the_imports_deletions_explain_passes(world, entity):
    connection, emulator, division = entity
    before = _ledger_line_count(emulator, division)
    entries = sorted(emulator.ledger(division).entries)
    for number in entries[:len(entries) * 3 // 10]:  # 30% of the entries deleted at Exact
        emulator.delete_entry(division, number)
    after = _ledger_line_count(emulator, division)
    assert after < 0.8 * before, "a drop the check would flag, were it not explained"
    _import(world, connection)
    assert _counts(world, connection.entity_id)[-1] == (before, after)
    check, outcome = _check(world)
    assert check.passed, check.description
    assert not [t for t in outcome.failed_tests if CHECK in t]


def test_rows_lost_outside_imports_are_flagged(world, entity):
    connection, emulator, division = entity
    previous = _ledger_line_count(emulator, division)
    with warehouse_lock(world.settings, "the entity table counts test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as warehouse:
        lost = warehouse.execute(
            f"delete from raw_{PROVIDER}.{TABLE} where _monitr_entity_id = ? and id in ("
            f"select id from raw_{PROVIDER}.{TABLE} where _monitr_entity_id = ? order by id "
            "limit ?) returning id",
            (connection.entity_id, connection.entity_id, previous * 3 // 10)).fetchall()
    assert len(lost) == previous * 3 // 10
    _import(world, connection)  # nothing changed at Exact: the lost rows stay lost
    now = previous - len(lost)
    assert _counts(world, connection.entity_id)[-1] == (now, now)
    check, outcome = _check(world)
    named = (f"entity {connection.entity_id} ({PROVIDER}) table {TABLE} (previously {previous}, "
             f"now {now}, deleted 0): difference {len(lost)}")
    assert not check.passed
    assert check.description == f"1 failing row: {named}"
    assert f"staging/stg_monitr__entity_table_counts: {CHECK}: 1 failing row: {named}" \
        in outcome.failed_tests
