"""The warehouse: one writer at a time on the DuckDB file, and read access for summaries and checks
(DuckDB file or Postgres)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from monitr_pipeline.locking import file_lock
from monitr_pipeline.settings import Settings

MART_TABLES = ("fct_gl_lines", "dim_accounts", "dim_analytical_axes", "fct_outstanding_items",
               "dim_fixed_assets", "dim_fiscal_periods")


def warehouse_lock(settings: Settings, waiter: str, *, write: bool = True
                   ) -> AbstractContextManager[None]:
    """Held while a process has the warehouse open. A DuckDB file takes one writer and no reader
    beside it, from any process (the CLI, the demo, a run the daemon launched, dbt): they wait
    their turn here instead of failing on DuckDB's file lock. Postgres needs no turns."""
    if settings.warehouse_url:
        return nullcontext()
    path = settings.duckdb_path
    return file_lock(path.with_name(f"{path.name}.lock"), "the DuckDB warehouse", waiter,
                     shared=not write)


def query(settings: Settings, sql: str, params: tuple = ()) -> list[tuple[Any, ...]]:
    if settings.warehouse_url:
        import psycopg2

        with psycopg2.connect(settings.warehouse_url) as connection, connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall()
    import duckdb

    # Read-only, and closed at once: DuckDB lets one process write, and the next run needs it.
    with warehouse_lock(settings, "a warehouse query", write=False), \
            duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        return connection.execute(sql, params).fetchall()


def rows_per_mart(settings: Settings) -> dict[int, dict[str, int]]:
    """entity_id -> mart table -> row count."""
    counts: dict[int, dict[str, int]] = {}
    for table in MART_TABLES:
        for entity_id, n in query(settings, f"select entity_id, count(*) from marts.{table} "
                                            "group by entity_id"):
            counts.setdefault(int(entity_id), {})[table] = int(n)
    return counts


def entry_balance(settings: Settings) -> dict[int, tuple[int, int]]:
    """entity_id -> (entries, entries whose lines do not sum to zero)."""
    rows = query(settings, """
        select entity_id, count(*), sum(case when abs(total) > 0.005 then 1 else 0 end)
        from (select entity_id, source_entry_id, sum(amount) as total
              from marts.fct_gl_lines group by entity_id, source_entry_id) entries
        group by entity_id""")
    return {int(e): (int(n), int(bad)) for e, n, bad in rows}
