"""The import status board's table in the warehouse, `monitr.import_status`: one row per active
provider x entity with its latest import, replaced whole by each refresh (DuckDB or Postgres)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime

from monitr_pipeline.control.service import EntityImportStatus
from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import warehouse_lock

SCHEMA = "monitr"
TABLE = "import_status"
QUALIFIED_TABLE = f"{SCHEMA}.{TABLE}"


@dataclass(frozen=True)
class ImportStatusRow:
    """One provider x entity on the board; times in UTC."""

    provider: str
    organisation: str
    entity_id: int | None
    entity_name: str
    partition_key: str
    integration_health: str | None
    status: str  # Waiting, In Progress, Succeeded, Failed
    trigger: str | None
    requested_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    rows_loaded: int | None
    error: str | None
    warnings: str | None
    dagster_run_id: str | None
    refreshed_at: datetime


# SQL types both DuckDB and Postgres accept.
_SQL_TYPES = {"entity_id": "bigint", "rows_loaded": "bigint",
              "requested_at": "timestamp with time zone", "started_at": "timestamp with time zone",
              "finished_at": "timestamp with time zone",
              "refreshed_at": "timestamp with time zone"}
COLUMNS = [f.name for f in fields(ImportStatusRow)]


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; the control plane writes UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def status_rows(statuses: Sequence[EntityImportStatus], refreshed_at: datetime
                ) -> list[ImportStatusRow]:
    return [ImportStatusRow(
        provider=s.provider, organisation=s.organisation_slug, entity_id=s.entity_id,
        entity_name=s.entity_name, partition_key=s.partition_key,
        integration_health=s.integration_health, status=s.status, trigger=s.trigger,
        requested_at=_utc(s.requested_at), started_at=_utc(s.started_at),
        finished_at=_utc(s.finished_at), rows_loaded=s.rows_loaded, error=s.error,
        warnings=s.warnings, dagster_run_id=s.dagster_run_id, refreshed_at=refreshed_at,
    ) for s in statuses]


def _create_table_sql() -> str:
    columns = ", ".join(f"{name} {_SQL_TYPES.get(name, 'text')}" for name in COLUMNS)
    return f"create table {QUALIFIED_TABLE} ({columns})"


def write_import_status(settings: Settings, rows: Sequence[ImportStatusRow], waiter: str) -> None:
    """Replace the table's rows with `rows` in one transaction: readers see the previous board or
    this one, never half of one. Dropped and created each time, so a new column needs no
    migration."""
    values = [astuple(row) for row in rows]
    statements = [f"create schema if not exists {SCHEMA}", f"drop table if exists {QUALIFIED_TABLE}",
                  _create_table_sql()]
    if settings.warehouse_url:
        import psycopg2
        from psycopg2.extras import execute_values

        with psycopg2.connect(settings.warehouse_url) as connection, \
                connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            execute_values(cursor, f"insert into {QUALIFIED_TABLE} ({', '.join(COLUMNS)}) "
                                   "values %s", values)
        connection.close()
        return
    import duckdb

    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    with warehouse_lock(settings, waiter), duckdb.connect(str(settings.duckdb_path)) as connection:
        connection.execute("begin transaction")
        for statement in statements:
            connection.execute(statement)
        # As one Arrow table: DuckDB inserts row by row (executemany) at a few hundred rows/s.
        connection.register("board_rows", _arrow_table(values))
        connection.execute(f"insert into {QUALIFIED_TABLE} select * from board_rows")
        connection.execute("commit")


def _arrow_table(values: Sequence[tuple]):
    import pyarrow as pa

    kinds = {"bigint": pa.int64(), "text": pa.string(),
             "timestamp with time zone": pa.timestamp("us", tz="UTC")}
    schema = pa.schema([(name, kinds[_SQL_TYPES.get(name, "text")]) for name in COLUMNS])
    return pa.Table.from_pylist([dict(zip(COLUMNS, row, strict=True)) for row in values],
                                schema=schema)
