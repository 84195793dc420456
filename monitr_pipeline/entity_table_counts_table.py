"""The warehouse's history of how many rows each import left per entity and raw table,
`monitr.entity_table_counts`: the check that an entity's rows do not drop between imports without
deletions to explain it (dbt_monitr/tests/imports/) reads it.

Why counts before and after each load, and nothing else: only an import may remove raw rows, and
it removes them only through the deletions it loads (tombstones, keys gone from a snapshot, which
DeletionGuard already makes a person confirm when they are many). So the rows an import's own load
removed (before minus after, when it fell) are the deletions it recorded, and a fall between one
import's count after its load and the next one's before it is rows lost outside any import (a
table truncated, rows deleted by hand, a restore of an older backup). Counting the entity's rows of
each table twice an import is one indexed-or-not `count(*)` per table, beside the load's minutes.
Appended under the import's warehouse lock (DuckDB) in one transaction, like monitr.import_loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime

from monitr_pipeline.ingestion.source import ENTITY_COLUMN
from monitr_pipeline.settings import Settings

SCHEMA = "monitr"
TABLE = "entity_table_counts"
QUALIFIED_TABLE = f"{SCHEMA}.{TABLE}"


@dataclass(frozen=True)
class EntityTableCount:
    """One raw table's rows of one entity around one import's load; counted_at in UTC."""

    provider: str
    organisation_id: int
    entity_id: int
    table_name: str
    import_run_id: int | None
    dagster_run_id: str | None
    counted_at: datetime
    rows_before_load: int
    rows_after_load: int


_SQL_TYPES = {"organisation_id": "bigint", "entity_id": "bigint", "import_run_id": "bigint",
              "counted_at": "timestamp with time zone", "rows_before_load": "bigint",
              "rows_after_load": "bigint"}
COLUMNS = [f.name for f in fields(EntityTableCount)]


def count_entity_rows(settings: Settings, dataset: str, tables: Sequence[str], entity_id: int
                      ) -> dict[str, int]:
    """table -> the entity's rows in dataset.table, for each of `tables` (0 for one dlt has not
    created yet). With DuckDB the caller holds warehouse_lock (the import's, around its load)."""
    sql = (f"select table_name from information_schema.tables where table_schema = '{dataset}'")
    with _connection(settings) as execute:
        existing = {name for (name,) in execute(sql)}
        return {table: (execute(f'select count(*) from "{dataset}"."{table}" '
                                f"where {ENTITY_COLUMN} = {int(entity_id)}")[0][0]
                        if table in existing else 0)
                for table in tables}


def append_entity_table_counts(settings: Settings, counts: Sequence[EntityTableCount]) -> None:
    """Append `counts` in one transaction (a history: never replaced)."""
    if not counts:
        return
    columns = ", ".join(f"{name} {_SQL_TYPES.get(name, 'text')}" for name in COLUMNS)
    insert = (f"insert into {QUALIFIED_TABLE} ({', '.join(COLUMNS)}) "
              f"values ({', '.join('?' for _ in COLUMNS)})")
    with _connection(settings) as execute:
        execute(f"create schema if not exists {SCHEMA}")
        execute(f"create table if not exists {QUALIFIED_TABLE} ({columns})")
        for count in counts:
            execute(insert, astuple(count))


class _connection:
    """`with _connection(settings) as execute:` one transaction on the warehouse (DuckDB file or
    Postgres); execute(sql, params) returns the rows of a query. DuckDB's caller holds the lock."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def __enter__(self):
        if self.settings.warehouse_url:
            import psycopg2

            self.connection = psycopg2.connect(self.settings.warehouse_url)
            cursor = self.connection.cursor()

            def execute(sql: str, params: tuple = ()) -> list[tuple]:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall() if cursor.description else []
            return execute
        import duckdb

        self.settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = duckdb.connect(str(self.settings.duckdb_path))
        self.connection.execute("begin transaction")
        return lambda sql, params=(): self.connection.execute(sql, params).fetchall()

    def __exit__(self, exc_type, *_) -> None:
        try:
            if exc_type is None:
                self.connection.commit()
            else:
                self.connection.rollback()
        finally:
            self.connection.close()
