"""The warehouse's record of every dlt load an import made, `monitr.import_loads`: one row per load
id (the `_dlt_load_id` stamped on the raw rows it wrote) with the import behind it, appended by the
import right after its load (DuckDB or Postgres). Lineage starts here: a GL line's import_load_id
names its load, this row names the provider, entity, Dagster run and control-plane import run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime

import dlt

from monitr_pipeline.settings import Settings

SCHEMA = "monitr"
TABLE = "import_loads"
QUALIFIED_TABLE = f"{SCHEMA}.{TABLE}"


@dataclass(frozen=True)
class ImportLoad:
    """One dlt load of one entity's import; loaded_at in UTC."""

    load_id: str
    provider: str
    organisation_id: int
    entity_id: int
    partition_key: str
    dagster_run_id: str | None
    import_run_id: int | None
    loaded_at: datetime
    # Rows the load wrote (inserted, updated or tombstoned) over the provider's tables, not dlt's.
    rows_loaded: int


# SQL types both DuckDB and Postgres accept; the rest are text.
_SQL_TYPES = {"organisation_id": "bigint", "entity_id": "bigint", "import_run_id": "bigint",
              "loaded_at": "timestamp with time zone", "rows_loaded": "bigint"}
COLUMNS = [f.name for f in fields(ImportLoad)]


def loads_of(pipeline: dlt.Pipeline) -> list[tuple[str, int]]:
    """(load id, provider rows) of each load package the pipeline's last run loaded; one as a
    rule, none when the run found nothing to load."""
    trace = pipeline.last_trace
    if trace is None or trace.last_load_info is None:
        return []
    metrics = trace.last_normalize_info.metrics if trace.last_normalize_info else {}
    loads = []
    for load_id in trace.last_load_info.loads_ids:
        tables = metrics.get(load_id, [{"table_metrics": {}}])[0]["table_metrics"]
        loads.append((load_id, sum(m.items_count for table, m in tables.items()
                                   if not table.startswith("_dlt"))))
    return loads


def _statements() -> list[str]:
    columns = ", ".join(f"{name} {_SQL_TYPES.get(name, 'text')}" for name in COLUMNS)
    # Appended to, never dropped (it is history): a column added to ImportLoad is added here to
    # a table an older version created, its earlier rows null.
    return ([f"create schema if not exists {SCHEMA}",
             f"create table if not exists {QUALIFIED_TABLE} ({columns})"]
            + [f"alter table {QUALIFIED_TABLE} add column if not exists {name} "
               f"{_SQL_TYPES.get(name, 'text')}" for name in COLUMNS])


def append_import_loads(settings: Settings, loads: Sequence[ImportLoad]) -> None:
    """Append `loads` in one transaction. With DuckDB the caller holds warehouse_lock (the import
    does, around its load, and the lock is not reentrant); Postgres needs none."""
    if not loads:
        return
    values = [astuple(load) for load in loads]
    insert = f"insert into {QUALIFIED_TABLE} ({', '.join(COLUMNS)}) values "
    if settings.warehouse_url:
        import psycopg2
        from psycopg2.extras import execute_values

        with psycopg2.connect(settings.warehouse_url) as connection, \
                connection.cursor() as cursor:
            # Imports append in parallel on Postgres: the DDL (which concurrent `create table if
            # not exists` can fail, and which locks the table) runs only while columns are
            # missing, one import at a time.
            cursor.execute("select column_name from information_schema.columns "
                           "where table_schema = %s and table_name = %s", (SCHEMA, TABLE))
            if set(COLUMNS) - {name for (name,) in cursor.fetchall()}:
                cursor.execute("select pg_advisory_xact_lock(hashtext(%s))", (QUALIFIED_TABLE,))
                for statement in _statements():
                    cursor.execute(statement)
            execute_values(cursor, insert + "%s", values)
        connection.close()
        return
    import duckdb

    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.duckdb_path)) as connection:
        connection.execute("begin transaction")
        for statement in _statements():
            connection.execute(statement)
        # A load or two per import: row by row is fine here.
        connection.executemany(insert + f"({', '.join('?' for _ in COLUMNS)})", values)
        connection.execute("commit")
