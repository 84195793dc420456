"""Lineage from GL lines to their imports: every fct_gl_lines row carries the dlt load of its own
raw row (import_load_id), dim_import_loads maps that load to the Dagster run and control-plane
import run that made it, and a second import changes the load of exactly the lines it wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.settings import DBT_PROJECT_DIR
from monitr_pipeline.warehouse import query, warehouse_lock

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs

PROVIDER = "exact_online"
# The lineage models and every mart whose tests compare with fct_gl_lines (dbt runs a test when
# any of its models is selected: a stale fct_entry_balances would fail the reconciliation).
LINEAGE_MODELS = ("+fct_gl_lines +fct_entry_balances +fct_account_balances +dim_import_loads "
                  "+fct_report_figure_lines +fct_profit_and_loss_monthly")


@pytest.fixture(scope="module")
def imported(world):
    """Two Exact entities imported once and every model built (what the tests of the lineage
    models' parents read exists from then on); per entity its import outcome."""
    connections = world.connections(PROVIDER)[:2]
    assert len(connections) == 2
    outcomes = {}
    for connection in connections:
        outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
        assert outcome.success
        outcomes[connection.entity_id] = outcome
    _build(world, "fqn:*")
    return outcomes


def _build(world, select: str = LINEAGE_MODELS) -> None:
    outcome = run_transform_job(defs, world.instance, models=dbt_models(defs, select))
    assert outcome.success, outcome.error
    assert not outcome.failed_tests, outcome.failed_tests


def _loads(world, entity_id: int) -> list[tuple]:
    """The entity's recorded loads, oldest first: (load id, Dagster run id, import run id, rows)."""
    return query(world.settings, "select load_id, dagster_run_id, import_run_id, rows_loaded "
                                 "from monitr.import_loads where entity_id = ? order by load_id",
                 (entity_id,))


def _line_loads(world, entity_id: int) -> dict[str, str]:
    """source_line_id (lower case) -> import_load_id of the entity's GL lines."""
    return {str(line_id).lower(): load_id for line_id, load_id in query(
        world.settings, "select source_line_id, import_load_id from marts.fct_gl_lines "
                        "where entity_id = ?", (entity_id,))}


def _fct_gl_lines_columns(world) -> set[str]:
    return {name for (name,) in query(
        world.settings, "select column_name from information_schema.columns "
                        "where table_schema = 'marts' and table_name = 'fct_gl_lines'")}


def _build_with_models_before_import_load_id(world, tmp_path: Path) -> None:
    """`dbt run` of a copy of the project whose fct_gl_lines has no import_load_id: the marts as
    a warehouse built before the column existed has them (its fingerprints from that SQL)."""
    project = tmp_path / "dbt_monitr_before"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    model = project / "models" / "marts" / "fct_gl_lines.sql"
    sql = model.read_text()
    assert sql.count("        import_load_id,\n") == 1
    model.write_text(sql.replace("        import_load_id,\n", ""))
    with warehouse_lock(world.settings, "the lineage test"):
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "run", "--quiet", "--select",
             "+fct_gl_lines", "--project-dir", str(project), "--profiles-dir", str(project),
             "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
            check=True, cwd=project, env={**os.environ, **world.settings.dbt_env()})


def test_a_warehouse_built_before_import_load_id_gets_it_on_the_next_build(world, imported,
                                                                         tmp_path):
    _build_with_models_before_import_load_id(world, tmp_path)
    assert "import_load_id" not in _fct_gl_lines_columns(world)
    before = dict(query(world.settings, "select entity_id, min(entity_inputs_fingerprint) "
                                        "from marts.fct_gl_lines group by entity_id"))
    assert set(before) == set(imported)

    _build(world)

    # The changed SQL changed every entity's fingerprint (the transform checksum is in it), so
    # every entity was rebuilt into the column on_schema_change added.
    assert "import_load_id" in _fct_gl_lines_columns(world)
    after = dict(query(world.settings, "select entity_id, min(entity_inputs_fingerprint) "
                                       "from marts.fct_gl_lines group by entity_id"))
    assert set(after) == set(before)
    assert all(after[entity_id] != before[entity_id] for entity_id in before)
    [(lines, without_load)] = query(world.settings, "select count(*), count(*) - "
                                                    "count(import_load_id) from marts.fct_gl_lines")
    assert lines > 0 and without_load == 0


def test_every_line_traces_to_its_import_run(world, imported):
    _build(world)
    lines = query(world.settings, """
        select lines.entity_id, loads.entity_id, loads.provider, loads.dagster_run_id,
               loads.import_run_id, count(*)
        from marts.fct_gl_lines as lines
        left join marts.dim_import_loads as loads
            on lines.provider = loads.provider
            and lines.entity_id = loads.entity_id
            and lines.import_load_id = loads.import_load_id
        group by 1, 2, 3, 4, 5""")
    assert {line_entity for line_entity, *_ in lines} == set(imported)
    for line_entity, load_entity, provider, dagster_run_id, import_run_id, _ in lines:
        outcome = imported[line_entity]
        assert (load_entity, provider) == (line_entity, PROVIDER)
        # The run that imported the entity, as Dagster and the control plane know it.
        assert dagster_run_id == outcome.run_id
        run = world.instance.get_run_by_id(dagster_run_id)
        assert run is not None and run.tags["dagster/partition"] == outcome.connection.partition_key
        [import_run] = [r for r in world.control.import_runs(outcome.connection.connection_id)
                        if r.id == import_run_id]
        assert import_run.dagster_run_id == dagster_run_id
        # Every raw line the load wrote (budget lines aside) is a line here.
        [(load_id, _, _, rows)] = _loads(world, line_entity)
        [(raw_lines,)] = query(world.settings, """
            select count(*) from raw_exact_online.gl_transaction_lines
            where _monitr_entity_id = ? and _dlt_load_id = ? and type <> 3000""",
                               (line_entity, load_id))
        assert rows >= raw_lines > 0


def test_a_second_import_gives_its_load_to_the_lines_it_wrote_only(world, imported):
    changed_entity, unchanged_entity = imported
    before = {entity_id: _line_loads(world, entity_id) for entity_id in imported}
    emulator = world.sandbox.emulators[(PROVIDER, imported[changed_entity].connection.environment)]
    division = int(imported[changed_entity].connection.external_id)
    ledger = emulator.ledger(division)
    (_, corrected), *_ = ledger.lines()
    emulator.change_line(division, corrected.id, description="Gecorrigeerde omschrijving")
    last_entry, debit_line = max(ledger.lines(), key=lambda pair: pair[0].date)
    credit_account = next(line.account_code for _, line in ledger.lines()
                          if line.account_code != debit_line.account_code)
    added = emulator.add_entry(division, date=last_entry.date + timedelta(days=1),
                               lines=[(debit_line.account_code, Decimal("12.34")),
                                      (credit_account, Decimal("-12.34"))],
                               description="Lineage test")
    written = {str(corrected.id).lower()} | {str(line.id).lower() for line in added.lines}
    for entity_id, outcome in imported.items():
        assert run_import(defs, world.instance, world.control, outcome.connection,
                          quiet=True).success
    _build(world)

    first_load, second_load = (load_id for load_id, *_ in _loads(world, changed_entity))
    after = _line_loads(world, changed_entity)
    assert set(after) == set(before[changed_entity]) | written
    assert {line for line, load in after.items() if load == second_load} == written
    assert {line for line, load in after.items() if load != second_load} == \
        set(before[changed_entity]) - written
    assert set(after.values()) == {first_load, second_load}
    # The other entity's second import brought no lines: they keep their first load.
    assert _line_loads(world, unchanged_entity) == before[unchanged_entity]


def test_report_figure_lines_add_up_to_the_balances_and_the_profit_and_loss(world, imported):
    _build(world)
    [(lines, figure_lines, without_run)] = query(world.settings, """
        select (select count(*) from marts.fct_gl_lines),
               count(distinct gl_line_key), count(*) - count(dagster_run_id)
        from marts.fct_report_figure_lines""")
    assert figure_lines == lines > 0 and without_run == 0
    # Per entity x account x period: the lines' amounts are the balances' movement and opening
    # entries; a balance row without lines (a period the account was not booked in) has zero.
    [(balance_rows, differing)] = query(world.settings, """
        with per_period as (
            select provider, entity_id, account_code, fiscal_year, fiscal_period,
                   sum(case when is_opening_entry then 0 else amount end) as movement,
                   sum(case when is_opening_entry then amount else 0 end) as opening_entries
            from marts.fct_report_figure_lines
            group by provider, entity_id, account_code, fiscal_year, fiscal_period
        )
        select count(*),
               sum(case when balances.movement = coalesce(per_period.movement, 0)
                         and balances.opening_entries_amount = coalesce(per_period.opening_entries, 0)
                        then 0 else 1 end)
        from marts.fct_account_balances as balances
        full outer join per_period
            on balances.provider = per_period.provider
            and balances.entity_id = per_period.entity_id
            and balances.account_code = per_period.account_code
            and balances.fiscal_year = per_period.fiscal_year
            and balances.fiscal_period = per_period.fiscal_period
        where balances.entity_id in (?, ?) or per_period.entity_id in (?, ?)""",
                                        (*imported, *imported))
    assert balance_rows > 0 and differing == 0
    # A profit-and-loss row's lines are those with its keys (as the yml tells analysts).
    [(pl_rows, pl_differing)] = query(world.settings, """
        with per_row as (
            select provider, entity_id, fiscal_year, month_start, report_section, standard_code,
                   sum(amount) as amount
            from marts.fct_report_figure_lines
            where statement = 'profit_and_loss'
            group by provider, entity_id, fiscal_year, month_start, report_section, standard_code
        )
        select count(*),
               sum(case when coalesce(pl.amount, 0) = coalesce(per_row.amount, 0) then 0 else 1 end)
        from marts.fct_profit_and_loss_monthly as pl
        full outer join per_row
            on pl.provider = per_row.provider
            and pl.entity_id = per_row.entity_id
            and pl.fiscal_year = per_row.fiscal_year
            and pl.month_start = per_row.month_start
            and pl.report_section = per_row.report_section
            and pl.standard_code is not distinct from per_row.standard_code""")
    assert pl_rows > 0 and pl_differing == 0
