"""How Xero pages its lists: journals by number, invoices and assets by page, the rest in one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import requests
from dlt.sources.helpers.rest_client.paginators import BasePaginator, PageNumberPaginator


class JournalOffsetPaginator(BasePaginator):
    """/Journals?offset=N returns up to 100 journals numbered above N; a short page is the last."""

    def __init__(self, page_size: int):
        super().__init__()
        self.offset, self.page_size = 0, page_size

    def init_request(self, request: requests.Request) -> None:
        self.offset = int(request.params.get("offset") or 0)

    def update_state(self, response: requests.Response, data: list[Any] | None = None) -> None:
        journals = data or []
        if len(journals) < self.page_size:
            self._has_next_page = False
            return
        numbers = [journal.get("JournalNumber") if isinstance(journal, Mapping) else None
                   for journal in journals]
        if not all(isinstance(number, int) for number in numbers):
            raise ValueError("a journal without an integer JournalNumber")
        self.offset = max(numbers)

    def update_request(self, request: requests.Request) -> None:
        request.params["offset"] = self.offset


def journal_offsets(endpoint: Any) -> JournalOffsetPaginator:
    return JournalOffsetPaginator(endpoint.page_size)


def numbered_pages(endpoint: Any) -> PageNumberPaginator:
    return PageNumberPaginator(base_page=1, page_param="page", total_path="pagination.pageCount")


def if_modified_since(value: datetime) -> str:
    """The header value: ISO 8601 in UTC with milliseconds, as in Xero's OpenAPI example."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds")
