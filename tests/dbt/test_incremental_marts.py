"""The GL marts built incrementally per entity: after an entity's import, `dbt build` rebuilds that
entity's rows of fct_gl_lines, fct_entry_balances, fct_account_balances and the statements built on
them (trial balance, profit and loss, balance sheet), to what a full refresh gives, and leaves the
other entities' rows as they were."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.settings import DBT_PROJECT_DIR
from monitr_pipeline.warehouse import query, warehouse_lock

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs

PROVIDER = "exact_online"
MARTS = {"fct_gl_lines": "gl_line_key", "fct_entry_balances": "entry_balance_key",
         "fct_account_balances": "account_balance_key", "fct_trial_balance": "trial_balance_key",
         "fct_profit_and_loss_monthly": "profit_and_loss_key",
         "fct_balance_sheet_monthly": "balance_sheet_key"}
GL_MODELS = ("int_gl_lines__entity_inputs fct_gl_lines fct_entry_balances fct_account_balances "
             "int_reports__entity_inputs fct_trial_balance fct_profit_and_loss_monthly "
             "fct_balance_sheet_monthly")
# What the GL marts and the statements read besides the lines, and their tests compare them with.
DIMENSIONS = "dim_accounts dim_analytical_axes dim_fiscal_periods dim_account_mappings"


@pytest.fixture(scope="module")
def built(world):
    """Every Exact entity imported and the GL marts built once, with what they and their tests read
    (their first build: the tables are created)."""
    connections = world.connections(PROVIDER)
    for connection in connections:
        assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    _build_gl_marts(world, upstream=True)
    return connections


def _build_gl_marts(world, upstream: bool = False) -> str:
    """`dbt build` of the GL marts (and with `upstream`, of the models they read) as the transform
    job runs it: incremental once the marts exist. The Dagster run id."""
    select = (" ".join(f"+{model}" for model in f"{GL_MODELS} {DIMENSIONS}".split()) if upstream
              else GL_MODELS)
    outcome = run_transform_job(defs, world.instance, models=dbt_models(defs, select))
    assert outcome.success, outcome.error
    assert not outcome.failed_tests, outcome.failed_tests
    return outcome.run_id


def _entities_read(run_id: str, mart: str) -> str:
    """The filter on entities a statement's build compiled to (macros/entity_incremental.sql:
    entities_to_build_filter), from that run's dbt target folder."""
    [compiled] = (DBT_PROJECT_DIR / "target").glob(
        f"dbt_monitr-{run_id[:7]}-*/compiled/monitr/models/marts/reports/{mart}.sql")
    text = compiled.read_text()
    return text[text.index("balances.provider in"):].split("\n")[0]


# The statements are small tables: when a build deletes one entity's rows, DuckDB compacts the
# row group and renumbers the rows after them, so their row ids do not tell rewritten rows.
# Their rows are compared by key and load id, and the build's compiled SQL shows which entities it
# read (_entities_read).
STATEMENTS = ("fct_trial_balance", "fct_profit_and_loss_monthly", "fct_balance_sheet_monthly")


def _entity_rows(settings, mart: str) -> dict[int, set[tuple]]:
    """entity_id -> its rows' (DuckDB row id, key, entity_inputs_load_id): a row rewritten gets a
    new row id, so equal sets mean the entity's rows were not touched (statements: no row id)."""
    rows: dict[int, set[tuple]] = {}
    row_id = "0" if mart in STATEMENTS else "rowid"
    for entity_id, row_id, key, load_id in query(
            settings, f"select entity_id, {row_id}, {MARTS[mart]}, entity_inputs_load_id "
                      f"from marts.{mart}"):
        rows.setdefault(entity_id, set()).add((row_id, key, load_id))
    return rows


def _snapshot(world) -> dict[str, dict[int, set[tuple]]]:
    return {mart: _entity_rows(world.settings, mart) for mart in MARTS}


def _full_refresh_differences(world, tmp_path: Path) -> dict[str, tuple[int, int]]:
    """Copy the incrementally built marts aside, rebuild them with `dbt build --full-refresh`, and
    count the rows only one of the two has (per mart: incremental only, full refresh only)."""
    with warehouse_lock(world.settings, "the incremental marts test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as connection:
        connection.execute("create schema if not exists incremental_copy")
        for mart in MARTS:
            connection.execute(f"create or replace table incremental_copy.{mart} as "
                               f"select * from marts.{mart}")
    with warehouse_lock(world.settings, "the incremental marts test"):
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "build", "--full-refresh", "--quiet",
             "--select", *GL_MODELS.split(), "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target"),
             "--log-path", str(tmp_path / "logs")],
            check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **world.settings.dbt_env()})
    differences = {}
    for mart in MARTS:
        [(incremental_only, full_only)] = query(world.settings, f"""
            select
                (select count(*) from (select * from incremental_copy.{mart}
                                       except all select * from marts.{mart}) as d),
                (select count(*) from (select * from marts.{mart}
                                       except all select * from incremental_copy.{mart}) as d)""")
        differences[mart] = (incremental_only, full_only)
    return differences


def _duplicate_keys(settings) -> dict[str, int]:
    return {mart: query(settings, f"select count(*) - count(distinct {key}) from marts.{mart}")[0][0]
            for mart, key in MARTS.items()}


def test_a_build_without_imports_rewrites_nothing(world, built):
    before = _snapshot(world)
    _build_gl_marts(world)
    assert _snapshot(world) == before
    assert all(before[mart] for mart in MARTS)


def test_an_import_rebuilds_that_entity_only(world, built, tmp_path):
    changed, *others = built
    before = _snapshot(world)
    emulator = world.sandbox.emulators[(PROVIDER, changed.environment)]
    emulator.advance_to_day(1)  # adds, changes and deletes entries
    assert run_import(defs, world.instance, world.control, changed, quiet=True).success

    run_id = _build_gl_marts(world)

    after = _snapshot(world)
    for mart in MARTS:
        for other in others:
            assert after[mart][other.entity_id] == before[mart][other.entity_id], (mart, other)
        if mart in STATEMENTS:
            assert _entities_read(run_id, mart) == \
                f"balances.provider in ('{PROVIDER}') and balances.entity_id in ({changed.entity_id})"
        else:
            # Every row of the changed entity written anew, from the new import.
            old_row_ids = {row_id for row_id, *_ in before[mart][changed.entity_id]}
            assert not old_row_ids & {row_id for row_id, *_ in after[mart][changed.entity_id]}
        assert len({load_id for *_, load_id in after[mart][changed.entity_id]}) == 1
        assert {load_id for *_, load_id in after[mart][changed.entity_id]} != \
            {load_id for *_, load_id in before[mart][changed.entity_id]}
    # The changed entity's lines are exactly its raw lines now (added, changed and deleted ones).
    [(raw_lines,)] = query(world.settings, "select count(*) from raw_exact_online.gl_transaction_lines "
                                           "where _monitr_entity_id = ? and type <> 3000",
                           (changed.entity_id,))
    assert len(after["fct_gl_lines"][changed.entity_id]) == raw_lines
    assert len(after["fct_gl_lines"][changed.entity_id]) != len(before["fct_gl_lines"][changed.entity_id])
    assert _duplicate_keys(world.settings) == {mart: 0 for mart in MARTS}
    assert _full_refresh_differences(world, tmp_path) == {mart: (0, 0) for mart in MARTS}


def test_an_entity_whose_lines_are_all_deleted_loses_its_rows(world, built, tmp_path):
    gone = built[1]
    others = [c for c in built if c is not gone]
    # What dlt's hard deletes do when the provider deleted every line of the entity.
    with warehouse_lock(world.settings, "the incremental marts test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as connection:
        connection.execute("delete from raw_exact_online.gl_transaction_lines "
                           "where _monitr_entity_id = ?", (gone.entity_id,))
    before = _snapshot(world)
    assert all(gone.entity_id in before[mart] for mart in MARTS)

    _build_gl_marts(world)

    after = _snapshot(world)
    for mart in MARTS:
        assert gone.entity_id not in after[mart]
        for other in others:
            assert after[mart][other.entity_id] == before[mart][other.entity_id], (mart, other)
    assert _full_refresh_differences(world, tmp_path) == {mart: (0, 0) for mart in MARTS}
