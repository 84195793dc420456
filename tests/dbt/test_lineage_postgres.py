"""dim_import_loads on PostgreSQL, the production warehouse: the loads imports appended to
monitr.import_loads, one row each, and fct_report_figure_lines created beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import astuple
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitr_pipeline.import_loads_table import COLUMNS, ImportLoad, append_import_loads
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_pipeline.warehouse import query

pytestmark = pytest.mark.postgres

LOADS = [ImportLoad(load_id=load_id, provider="exact_online", organisation_id=1,
                    entity_id=entity_id, partition_key=f"demo-{entity_id}",
                    dagster_run_id=f"run-{load_id}", import_run_id=run_id,
                    loaded_at=datetime(2026, 11, 24, 3, run_id, tzinfo=UTC), rows_loaded=rows)
         for load_id, entity_id, run_id, rows in (("1796387406.95", 1, 1, 4336),
                                                  ("1796387409.30", 1, 2, 0),
                                                  ("1796387410.12", 2, 3, 812))]


def test_dim_import_loads_has_every_recorded_load(postgres_warehouse):
    with postgres_warehouse("lineage") as home:
        settings = Settings.from_env()
        assert settings.warehouse_url
        append_import_loads(settings, LOADS)
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--select",
             "+dim_import_loads", "+fct_report_figure_lines", "--exclude", "test_type:data",
             "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
             "--target-path", str(home / "target"), "--log-path", str(home / "logs")],
            check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **settings.dbt_env()})
        source_columns = ["import_load_id" if c == "load_id" else c for c in COLUMNS]
        rows = query(settings, f"select {', '.join(source_columns)} from marts.dim_import_loads "
                               "order by import_load_id")
        assert rows == [astuple(load) for load in LOADS]
        assert query(settings, "select count(*) from marts.fct_report_figure_lines") == [(0,)]
