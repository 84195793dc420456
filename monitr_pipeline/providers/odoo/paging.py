"""Keyset pages for search_read: each page asks for the records after the last one read, in the
order of the page's keys, rather than for an offset.

With offsets a record written while an import pages moves to the end of a write_date order and
every record behind it shifts one place forward: one would be skipped, and never read again once
the cursor has passed its write_date. Keys cannot shift.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import requests
from dlt.sources.helpers.rest_client.paginators import BasePaginator


class KeysetPages(BasePaginator):
    """`limit` records a page, in the order of `keys` (the last one unique, e.g. write_date then
    id); the next page's domain adds "after the last record read" to the declared domain."""

    def __init__(self, limit: int, keys: Sequence[str] = ("id",)):
        super().__init__()
        self.limit, self.keys = limit, tuple(keys)
        self._domain: list[Any] = []
        self._last: Mapping[str, Any] | None = None

    def init_request(self, request: requests.Request) -> None:
        body = request.json if isinstance(request.json, dict) else {}
        self._domain = copy.deepcopy(list(body.get("domain") or []))
        request.json = {**body, "limit": self.limit}

    def update_state(self, response: requests.Response | None, data: list[Any] | None = None
                     ) -> None:
        if not data or len(data) < self.limit:
            self._has_next_page = False
            return
        last = data[-1]
        if not isinstance(last, Mapping) or any(key not in last for key in self.keys):
            raise ValueError(f"a record without {' and '.join(self.keys)} to page after")
        self._last = last

    def update_request(self, request: requests.Request) -> None:
        if not self.has_next_page:  # dlt asks after every page, the last one too
            return
        request.json = {**request.json, "domain": [*self._domain, *self.after(self._last)]}

    def after(self, last: Mapping[str, Any]) -> list[Any]:
        """Odoo's prefix notation for (k1, k2, ...) > (last k1, last k2, ...)."""
        *leading, final = self.keys
        if not leading:
            return [[final, ">", last[final]]]
        first = leading[0]
        rest = KeysetPages(self.limit, self.keys[1:]).after(last)
        return ["|", [first, ">", last[first]], "&", [first, "=", last[first]], *rest]
