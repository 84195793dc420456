"""monitr.import_loads in both warehouses: appended to, never replaced, and a table an older version
created gains the columns added since."""

from dataclasses import astuple
from datetime import UTC, datetime

import duckdb
import pytest

from monitr_pipeline.import_loads_table import (
    COLUMNS,
    QUALIFIED_TABLE,
    ImportLoad,
    append_import_loads,
)
from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import query, warehouse_lock

LOADED_AT = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)


def _load(load_id: str, entity_id: int, rows: int) -> ImportLoad:
    return ImportLoad(load_id=load_id, provider="exact_online", organisation_id=1,
                      entity_id=entity_id, partition_key=f"exact_online-{entity_id}",
                      dagster_run_id=f"run-{load_id}", import_run_id=entity_id * 10,
                      loaded_at=LOADED_AT, rows_loaded=rows)


def _append(settings: Settings, loads: list[ImportLoad]) -> None:
    with warehouse_lock(settings, "the import loads test"):
        append_import_loads(settings, loads)


def _rows(settings: Settings) -> list[tuple]:
    return query(settings, f"select {', '.join(COLUMNS)} from {QUALIFIED_TABLE} order by load_id")


def _appends(settings: Settings) -> None:
    first, second, third = _load("1.1", 7, 120), _load("2.2", 8, 0), _load("3.3", 7, 4)
    _append(settings, [first, second])
    _append(settings, [])
    _append(settings, [third])
    assert _rows(settings) == [astuple(first), astuple(second), astuple(third)]


def test_duckdb_loads_are_appended(settings):
    _appends(settings)


# As a version that knew only the load id and the entity left it.
_OLDER_TABLE = ["create schema monitr",
                f"create table {QUALIFIED_TABLE} (load_id text, entity_id bigint)",
                f"insert into {QUALIFIED_TABLE} values ('0.5', 7)"]


def _gains_the_newer_columns(settings: Settings) -> None:
    load = _load("1.1", 7, 120)
    _append(settings, [load])
    rows = _rows(settings)
    assert rows[1] == astuple(load)
    assert rows[0][COLUMNS.index("load_id")] == "0.5"
    assert rows[0][COLUMNS.index("dagster_run_id")] is None


def test_a_duckdb_table_without_the_newer_columns_gains_them(settings):
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.duckdb_path)) as connection:
        for statement in _OLDER_TABLE:
            connection.execute(statement)
    _gains_the_newer_columns(settings)


@pytest.mark.postgres
def test_postgres_loads_are_appended(postgres_warehouse):
    with postgres_warehouse("import_loads"):
        settings = Settings.from_env()
        assert settings.warehouse_url
        _appends(settings)


@pytest.mark.postgres
def test_a_postgres_table_without_the_newer_columns_gains_them(postgres_warehouse):
    import psycopg2

    with postgres_warehouse("import_loads_older"):
        settings = Settings.from_env()
        with psycopg2.connect(settings.warehouse_url) as connection, \
                connection.cursor() as cursor:
            for statement in _OLDER_TABLE:
                cursor.execute(statement)
        connection.close()
        _gains_the_newer_columns(settings)
