"""The control plane's account mapping overrides in the warehouse, `monitr.account_mapping_overrides`
(what dim_account_mappings reads), replaced whole by each write (DuckDB or Postgres). Written after
`monitr accounts map/unmap` and before every dbt build."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import UTC, datetime

from monitr_pipeline.control.account_mappings import MappingOverride, list_overrides
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import warehouse_lock

SCHEMA = "monitr"
TABLE = "account_mapping_overrides"
QUALIFIED_TABLE = f"{SCHEMA}.{TABLE}"
# docs/reporting.md; SQL types both DuckDB and Postgres accept.
COLUMNS = {"organisation_id": "bigint", "entity_id": "bigint", "account_code": "text",
           "standard_code": "text", "note": "text", "updated_at": "timestamp with time zone"}


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; the control plane writes UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def override_rows(overrides: Sequence[MappingOverride]) -> list[tuple]:
    return [(o.organisation_id, o.entity_id, o.account_code, o.standard_code, o.note,
             _utc(o.updated_at)) for o in overrides]


def export_account_mapping_overrides(settings: Settings, control: ControlPlane, waiter: str, *,
                                     lock_held: bool = False) -> int:
    """Write every organisation's overrides to the warehouse; returns how many. `lock_held`:
    the caller holds the warehouse lock already (the dbt build), which is not re-entrant."""
    rows = override_rows(list_overrides(control))
    write_account_mapping_overrides(settings, rows, waiter, lock_held=lock_held)
    return len(rows)


def write_account_mapping_overrides(settings: Settings, rows: Sequence[tuple], waiter: str, *,
                                    lock_held: bool = False) -> None:
    """Replace the table's rows with `rows` in one transaction: dbt reads the previous overrides
    or these, never half of them. Emptied and refilled, not dropped: dbt's staging view reads it,
    and PostgreSQL refuses to drop a table a view depends on."""
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
    statements = [f"create schema if not exists {SCHEMA}",
                  f"create table if not exists {QUALIFIED_TABLE} ({columns})",
                  f"delete from {QUALIFIED_TABLE}"]
    if settings.warehouse_url:
        import psycopg2
        from psycopg2.extras import execute_values

        with psycopg2.connect(settings.warehouse_url) as connection, \
                connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            execute_values(cursor, f"insert into {QUALIFIED_TABLE} ({', '.join(COLUMNS)}) "
                                   "values %s", list(rows))
        connection.close()
        return
    import duckdb

    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    lock = nullcontext() if lock_held else warehouse_lock(settings, waiter)
    with lock, duckdb.connect(str(settings.duckdb_path)) as connection:
        connection.execute("begin transaction")
        for statement in statements:
            connection.execute(statement)
        # A few hundred rows at most: executemany's row-by-row inserts are quick enough.
        if rows:
            connection.executemany(f"insert into {QUALIFIED_TABLE} values "
                                   f"({', '.join('?' for _ in COLUMNS)})", list(rows))
        connection.execute("commit")
