"""How Minox pages a list (assumed: `limit` and `offset`, a bare JSON array; a page shorter than
the limit is the last, so no empty page is asked for: calls are scarce at ~20 a window)."""

from __future__ import annotations

from typing import Any

import requests
from dlt.sources.helpers.rest_client.paginators import OffsetPaginator


class ShortPageOffsetPaginator(OffsetPaginator):
    def __init__(self, limit: int):
        super().__init__(limit=limit, offset_param="offset", limit_param="limit",
                         total_path=None, stop_after_empty_page=True)

    def update_state(self, response: requests.Response, data: list[Any] | None = None) -> None:
        if data is not None and not isinstance(data, list):
            raise ValueError("the answer is not a JSON list")
        if not data or len(data) < self.limit:
            self._has_next_page = False
            return
        self.current_value += self.limit


def offset_pages(endpoint: Any) -> ShortPageOffsetPaginator:
    return ShortPageOffsetPaginator(endpoint.page_size)
