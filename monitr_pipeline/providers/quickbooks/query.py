"""Reading an entity with QuickBooks' query language, a page of up to 1000 at a time.

Pages are keyed on MetaData.LastUpdatedTime rather than on STARTPOSITION alone: the next page asks
for `LastUpdatedTime >= <the last time read>`, re-reading the few rows of that very time. With a
plain offset, a row changed or deleted during the read shifts every later row by one and a row is
skipped (DESIGN_NOTES failure mode 5); keyed pages only ever re-read, and dlt merges re-read rows
by key. STARTPOSITION still walks through a block of more rows than a page sharing one time, and a
page shorter than MAXRESULTS is the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from monitr_pipeline.providers.quickbooks.wire import field_value, typed_value

ORDER_FIELD = "MetaData.LastUpdatedTime"


def time_literal(moment: datetime) -> str:
    """A datetime as the query language compares it: quoted ISO 8601 with an offset."""
    return f"'{moment.astimezone(UTC).isoformat(timespec='seconds')}'"


def select(entity: str, conditions: list[str], start: int, max_results: int) -> str:
    where = " AND ".join(condition for condition in conditions if condition)
    return (f"SELECT * FROM {entity}{f' WHERE {where}' if where else ''} ORDERBY {ORDER_FIELD} "
            f"STARTPOSITION {start} MAXRESULTS {max_results}")


def updated_at(record: Any) -> datetime:
    moment = typed_value(ORDER_FIELD, field_value(record, ORDER_FIELD), "timestamp")
    if moment is None:
        raise ValueError(f"record {field_value(record, 'Id')!r} has no {ORDER_FIELD}")
    return moment


def query_pages(fetch: Callable[[str], list[Any]], entity: str, where: str,
                since: datetime | None, page_size: int) -> Iterator[list[Any]]:
    """Pages of `entity` rows changed at or after `since` (all rows without it); `fetch` runs one
    query and returns its rows."""
    start = 1
    while True:
        condition = f"{ORDER_FIELD} >= {time_literal(since)}" if since else ""
        rows = fetch(select(entity, [where, condition], start, page_size))
        yield rows
        if len(rows) < page_size:
            return
        last = updated_at(rows[-1])
        if since is not None and last == since:
            start += len(rows)  # inside a block of more rows than a page sharing one time
        elif updated_at(rows[0]) == last:
            since, start = last, len(rows) + 1  # such a block begins
        else:
            # Re-read the rows of time `last` (merged by key): nothing is assumed about tie order.
            since, start = last, 1
