"""`monitr transform [--select]`: dbt models built on demand through the transform job, as a run
on the project's Dagster instance."""

from __future__ import annotations

import re

from monitr_pipeline.cli import main
from monitr_pipeline.definitions import TRANSFORM_JOB, defs
from monitr_pipeline.runner import run_import
from monitr_pipeline.tags import TRIGGER_TAG, WORKER_TAG
from monitr_pipeline.warehouse import query

WORLD_PROVIDERS = ("exact_online", "csv_import")  # the sandbox world this module needs

MODEL = "stg_csv_import__gl_lines"


def _tables(settings, schema: str) -> set[str]:
    return {name for (name,) in query(settings, "select table_name from information_schema.tables "
                                                "where table_schema = ?", (schema,))}


def test_a_selected_model_is_built_into_the_warehouse(world, capsys):
    connection = world.connections("csv_import")[0]
    assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    [(raw_lines,)] = query(world.settings, "select count(*) from raw_csv_import.gl_lines")
    capsys.readouterr()

    assert main(["transform", "--select", MODEL]) == 0
    out = capsys.readouterr().out
    assert f"{TRANSFORM_JOB}: Succeeded, 1 model(s) built, 0 test(s) failed" in out
    assert f"built staging/{MODEL}" in out
    [(lines,)] = query(world.settings, f"select count(*) from staging.{MODEL}")
    assert lines == raw_lines > 0
    # Only what was selected: nothing downstream of it was built.
    assert "fct_gl_lines" not in _tables(world.settings, "marts")

    # A run of the transform job on the project's instance, tagged as every run the CLI starts.
    run_id = re.search(r"run ([0-9a-f-]{36})", out).group(1)
    run = world.instance.get_run_by_id(run_id)
    assert run.job_name == TRANSFORM_JOB
    assert run.tags[TRIGGER_TAG] == "manual" and WORKER_TAG in run.tags


def test_a_selector_that_matches_nothing_is_refused(world, capsys):
    assert main(["transform", "--select", "no_such_model"]) == 2
    assert "no dbt model matches --select 'no_such_model'" in capsys.readouterr().err
