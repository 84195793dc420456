"""Reading an entity with QuickBooks' query language, a page of up to 1000 at a time.

Pages are keyed on MetaData.LastUpdatedTime rather than on STARTPOSITION alone: the next page asks
for `LastUpdatedTime >= <the last time read>`, re-reading the few rows of that very time. With a
plain offset, a row changed or deleted during the read shifts every later row by one and a row is
skipped (DESIGN_NOTES failure mode 5); keyed pages only ever re-read, and dlt merges re-read rows
by key. STARTPOSITION still walks through a block of more rows than a page sharing one time, and a
page shorter than MAXRESULTS is the last one.

The endpoints declare the first page's `query` (spec.py, written by `select`); QueryPaginator moves
its STARTPOSITION and LastUpdatedTime condition from page to page, as dlt's paginators move a page
number, and the REST transport does the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from dlt.sources.helpers.rest_client.paginators import BasePaginator

from monitr_pipeline.ingestion.values import field_values, parse_value
from monitr_pipeline.providers.quickbooks.wire import WIRE, json_answer

ORDER_FIELD = "MetaData.LastUpdatedTime"
# An answer's records sit in its QueryResponse under the entity's name; an answer with no rows
# (nothing matched, or past the end) is `{"QueryResponse": {}}`, so the envelope is what is
# selected and `rows` takes the records out.
DATA_SELECTOR = "QueryResponse"

_START = re.compile(r"STARTPOSITION (\d+)")
_MAX_RESULTS = re.compile(r"MAXRESULTS (\d+)")
_SINCE = re.compile(rf"{re.escape(ORDER_FIELD)} >= '([^']*)'")
# The condition of an incremental endpoint's first page (cursor_format=time_literal).
SINCE_CURSOR = f"{ORDER_FIELD} >= {{incremental.start_value}}"


def time_literal(moment: datetime) -> str:
    """A datetime as the query language compares it: quoted ISO 8601 with an offset."""
    return f"'{moment.astimezone(UTC).isoformat(timespec='seconds')}'"


def select(entity: str, conditions: list[str], start: int, max_results: int | str) -> str:
    where = " AND ".join(condition for condition in conditions if condition)
    return (f"SELECT * FROM {entity}{f' WHERE {where}' if where else ''} ORDERBY {ORDER_FIELD} "
            f"STARTPOSITION {start} MAXRESULTS {max_results}")


def changed_since(moment: datetime) -> str:
    return f"{ORDER_FIELD} >= {time_literal(moment)}"


def rows(page: list[Any]) -> list[Any]:
    """The records of selected QueryResponses: the list under the entity's name (the other keys
    are startPosition, maxResults, totalCount)."""
    return [record for response in page if isinstance(response, Mapping)
            for value in response.values() if isinstance(value, list) for record in value]


def updated_at(record: Any) -> datetime:
    moment = parse_value(ORDER_FIELD, field_values([record], ORDER_FIELD)[0], "timestamp", WIRE)
    if moment is None:
        raise ValueError(f"record {field_values([record], 'Id')[0]!r} has no {ORDER_FIELD}")
    return moment


def read_answer(response: requests.Response, *_: Any, **__: Any) -> requests.Response:
    """A response hook: a Fault inside a 200 is an error (ProviderError), and a body that is no
    JSON object is named by its query (ValueError). Error statuses are the engine's hook's."""
    if response.status_code < 400:
        query = parse_qs(urlsplit(response.request.url).query).get("query", ["the query"])[0]
        json_answer(response, query)
    return response


class QueryPaginator(BasePaginator):
    """Pages a query written by `select`: a full page moves the LastUpdatedTime condition to the
    last time read (or STARTPOSITION through a block of one time); a short page is the last."""

    def __init__(self) -> None:
        super().__init__()
        self.since: datetime | None = None
        self.start = 1
        self.page_size = 0

    def init_request(self, request: requests.Request) -> None:
        query = request.params["query"]
        found = _SINCE.search(query)
        self.since = datetime.fromisoformat(found[1]) if found else None
        self.start = int(_START.search(query)[1])
        self.page_size = int(_MAX_RESULTS.search(query)[1])
        request.hooks["response"].append(read_answer)

    def update_state(self, response: requests.Response, data: list[Any] | None = None) -> None:
        records = rows(data or [])
        if len(records) < self.page_size:
            self._has_next_page = False
            return
        last = updated_at(records[-1])
        if self.since is not None and last == self.since:
            self.start += len(records)  # inside a block of more rows than a page sharing one time
        elif updated_at(records[0]) == last:
            self.since, self.start = last, len(records) + 1  # such a block begins
        else:
            # Re-read the rows of time `last` (merged by key): nothing is assumed about tie order.
            self.since, self.start = last, 1

    def update_request(self, request: requests.Request) -> None:
        if not self.has_next_page:
            return
        query = _START.sub(f"STARTPOSITION {self.start}", request.params["query"])
        condition = changed_since(self.since)
        if _SINCE.search(query):
            query = _SINCE.sub(lambda _: condition, query)
        else:
            query = query.replace(" ORDERBY ", f" {'AND' if ' WHERE ' in query else 'WHERE'} "
                                               f"{condition} ORDERBY ", 1)
        request.params["query"] = query


def query_paginator(endpoint: Any) -> QueryPaginator:
    return QueryPaginator()
