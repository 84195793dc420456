"""Failing dbt tests as asset checks that say what failed: the entity, the period, the difference.

dagster-dbt turns a dbt test into an AssetCheckResult that says only "failed, N rows". dbt stores
each test's failing rows (`store_failures`, dbt_project.yml: audit.<test name>); this reads them
and yields the failed (or warned) check with its first rows as a markdown table in metadata and
a description naming them ("entity 12 (exact_online) 2025/03 entry 55: difference 10.00").

The rows are read once dbt has finished: with DuckDB the dbt process holds the warehouse file
while it runs and no other process may open it. So failed checks are held back until the build
ends (a failing test makes dbt exit non-zero, and dagster-dbt then raises: the held checks are
yielded first, so the failure still carries them). Passed checks go through at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dagster import AssetCheckResult, MetadataValue

from monitr_pipeline.settings import Settings
from monitr_pipeline.stored_failures import (
    describe_row,
    markdown_table,
    read_stored_failures,
)

# Rows shown in a failed check's metadata, and named in its description.
ROWS_SHOWN = 20
ROWS_DESCRIBED = 3


def with_failing_rows(events: Iterable[Any], manifest: Mapping[str, Any], settings: Settings
                      ) -> Iterator[Any]:
    """dagster-dbt's events (`dbt.cli([...]).stream()`), each failed check with its failing rows."""
    held: list[AssetCheckResult] = []
    try:
        for event in events:
            if isinstance(event, AssetCheckResult) and not event.passed:
                held.append(event)
            else:
                yield event
    except Exception:
        yield from (explained(result, manifest, settings) for result in held)
        raise
    yield from (explained(result, manifest, settings) for result in held)


def explained(result: AssetCheckResult, manifest: Mapping[str, Any], settings: Settings
              ) -> AssetCheckResult:
    """`result` with its test's stored failing rows; as it was, saying why, if they cannot be
    read (a test that errored before storing them, a test not stored)."""
    test = manifest["nodes"].get(_metadata_text(result, "unique_id") or "", {})
    if not test.get("config", {}).get("store_failures"):
        return result
    try:
        failures = read_stored_failures(settings, test["schema"], test["alias"], ROWS_SHOWN)
    except Exception as exc:  # the check's own outcome matters more than its rows
        return _with(result, {"failing_rows_unreadable": str(exc).splitlines()[0]},
                     result.description)
    count = _failed_row_count(result, len(failures.rows))
    described = [describe_row(failures.columns, row) for row in failures.rows[:ROWS_DESCRIBED]]
    more = f"; and {count - len(described)} more" if count > len(described) else ""
    description = f"{count} failing row{'s' if count != 1 else ''}: {'; '.join(described)}{more}"
    return _with(result, {
        "failing_rows": MetadataValue.md(markdown_table(failures)),
        "failing_row_count": count,
        "failing_rows_table": failures.relation,
    }, description if described else result.description)


def _with(result: AssetCheckResult, metadata: Mapping[str, Any], description: str | None
          ) -> AssetCheckResult:
    return AssetCheckResult(passed=result.passed, asset_key=result.asset_key,
                            check_name=result.check_name, severity=result.severity,
                            metadata={**result.metadata, **metadata}, description=description)


def _metadata_text(result: AssetCheckResult, key: str) -> str | None:
    value = result.metadata.get(key)
    return None if value is None else str(getattr(value, "value", value))


def _failed_row_count(result: AssetCheckResult, rows_read: int) -> int:
    # dbt's own count of the failing rows (all of them; only ROWS_SHOWN are read).
    count = _metadata_text(result, "dagster_dbt/failed_row_count")
    return int(count) if count is not None else rows_read
