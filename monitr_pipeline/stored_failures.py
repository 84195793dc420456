"""The failing rows dbt stored for a test (`store_failures`, dbt_project.yml: audit.<test name>),
read from the warehouse (DuckDB file or Postgres), and said in words: the entity, the period and
the difference each row is about."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monitr_pipeline.settings import Settings


@dataclass(frozen=True)
class StoredFailures:
    """The first rows of a test's stored failures, with their column names."""

    relation: str  # schema.table
    columns: list[str]
    rows: list[tuple[Any, ...]]


def read_stored_failures(settings: Settings, schema: str, table: str, limit: int
                         ) -> StoredFailures:
    """The first `limit` rows of schema.table. With DuckDB the caller holds warehouse_lock (the
    dbt build's, whose failures these are; the lock is not reentrant): the file is opened read-only
    and closed at once."""
    sql = f'select * from "{schema}"."{table}" limit {int(limit)}'
    if settings.warehouse_url:
        import psycopg2

        with psycopg2.connect(settings.warehouse_url) as connection, \
                connection.cursor() as cursor:
            cursor.execute(sql)
            columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
        connection.close()
    else:
        import duckdb

        with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
            cursor = connection.execute(sql)
            columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
    return StoredFailures(f"{schema}.{table}", columns, rows)


# Columns a failing row's difference may be in, most telling first: `difference` is what the
# tests written for this say; the generic `balanced` test says `imbalance`.
DIFFERENCE_COLUMNS = ("difference", "imbalance")
# Columns naming what else the row is about, shown as "<label> <value>" in this order.
_NAMING_COLUMNS = (("table_name", "table"), ("account_code", "account"),
                   ("standard_code", "standard code"), ("source_entry_id", "entry"),
                   ("source_line_id", "line"))
_PERIOD_COLUMNS = ("month", "report_month", "as_of_date", "booking_date")
# Counts a row compares, shown in parentheses: "(previously 800, now 560, deleted 0)".
_COUNT_COLUMNS = (("previous_row_count", "previously"), ("row_count", "now"),
                  ("rows_deleted", "deleted"))


def describe_row(columns: list[str], row: tuple[Any, ...]) -> str:
    """One failing row in words, e.g. "entity 12 (exact_online) 2025/03 entry 55: difference
    10.00": its entity (and provider), period, entry, account or table, the counts it compares,
    and difference; a row with none of those (a not_null or unique test's) as its columns'
    values."""
    value = dict(zip(columns, row))
    said = []
    if value.get("entity_id") is not None:
        provider = f" ({value['provider']})" if value.get("provider") else ""
        said.append(f"entity {value['entity_id']}{provider}")
    if value.get("fiscal_year") is not None:
        period = value.get("fiscal_period")
        said.append(f"{value['fiscal_year']}/{int(period):02d}" if period is not None
                    else f"{value['fiscal_year']}")
    else:
        said += [f"{value[c]}" for c in _PERIOD_COLUMNS if value.get(c) is not None][:1]
    said += [f"{label} {value[c]}" for c, label in _NAMING_COLUMNS if value.get(c) is not None]
    counts = [f"{label} {value[c]}" for c, label in _COUNT_COLUMNS if value.get(c) is not None]
    if said and counts:
        said.append(f"({', '.join(counts)})")
    difference = next((c for c in DIFFERENCE_COLUMNS if c in value), None)
    if not said:
        return ", ".join(f"{c} {_shown(v)}" for c, v in value.items())
    if difference is None:
        return " ".join(said)
    return f"{' '.join(said)}: difference {_shown(value[difference])}"


def markdown_table(failures: StoredFailures) -> str:
    head = f"| {' | '.join(failures.columns)} |\n|{'---|' * len(failures.columns)}\n"
    return head + "".join(f"| {' | '.join(_shown(v).replace('|', '/') for v in row)} |\n"
                          for row in failures.rows)


def _shown(value: Any) -> str:
    if isinstance(value, (Decimal, float)):
        return f"{value:.2f}"
    return "" if value is None else str(value)
