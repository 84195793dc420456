"""How e-Boekhouden pages its lists: limit/offset, up to a short page."""

from __future__ import annotations

from typing import Any

from dlt.sources.helpers.rest_client.paginators import OffsetPaginator


class ShortPagePaginator(OffsetPaginator):
    """limit/offset until a page holds fewer than `limit` items. `count` is not relied on: the
    swagger calls it "the number of retrieved items", which may be the page's or the total."""

    def __init__(self, limit: int):
        super().__init__(limit=limit, total_path=None)

    def _stop_after_this_page(self, data: list[Any] | None = None) -> bool:
        return not data or len(data) < self.limit


def short_pages(endpoint: Any) -> ShortPagePaginator:
    return ShortPagePaginator(endpoint.page_size)
