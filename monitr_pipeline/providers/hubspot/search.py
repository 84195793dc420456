"""Deals changed since the cursor, through CRM search: hs_lastmodifieddate GTE the cursor,
sorted ascending, `after` paging; one query pages through at most the search cap (10,000), so a
window that reaches it is continued by a new query from the last timestamp seen.

Ties: the new window starts at (GTE) the last timestamp seen, so deals modified in the same
millisecond as the window's last one are read again rather than skipped; those already read are
dropped by id. When a whole window shares one timestamp (a bulk import: more deals in one
millisecond than the cap), the new window would be the same query: that millisecond is then
read on its own, paged by hs_object_id (EQ the timestamp, hs_object_id GT the last id, sorted by
hs_object_id), and the deals after it with GT the timestamp.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion import http
from monitr_pipeline.providers.hubspot import wire

MODIFIED = "hs_lastmodifieddate"
OBJECT_ID = "hs_object_id"


def _filter(name: str, operator: str, value: Any) -> dict[str, str]:
    return {"propertyName": name, "operator": operator, "value": str(value)}


class DealSearch:
    """One import's search through a portal's deals from `start_ms` on."""

    def __init__(self, client: RESTClient, path: str, properties: tuple[str, ...],
                 page_size: int, cap: int, hooks: dict[str, Any], min_interval: float):
        self.client, self.path, self.properties = client, path, list(properties)
        self.limit = max(1, min(page_size, cap))
        self.cap, self.hooks, self.min_interval = cap, hooks, min_interval
        self.seen: set[str] = set()
        self._last_call = 0.0

    def pages(self, start_ms: int) -> Iterator[list[dict[str, Any]]]:
        lower = ("GTE", start_ms)
        while True:
            filters = [_filter(MODIFIED, *lower)]
            outcome = yield from self._window(filters, MODIFIED)
            if outcome is None:
                return
            last_ms, _ = outcome
            _require_progress(last_ms > lower[1] or lower == ("GTE", last_ms), filters, outcome)
            if lower == ("GTE", last_ms):
                # The whole window was one millisecond: read it by id (all of it: the order
                # within a millisecond is not known), then go past it.
                yield from self._one_millisecond(last_ms, "0")
                lower = ("GT", last_ms)
            else:
                lower = ("GTE", last_ms)

    def _one_millisecond(self, moment_ms: int, after_id: str) -> Iterator[list[dict[str, Any]]]:
        while True:
            filters = [_filter(MODIFIED, "EQ", moment_ms), _filter(OBJECT_ID, "GT", after_id)]
            outcome = yield from self._window(filters, OBJECT_ID)
            if outcome is None:
                return
            _require_progress(int(outcome[1]) > int(after_id), filters, outcome)
            after_id = outcome[1]

    def _window(self, filters: list[dict[str, str]], sort: str
                ) -> Iterator[list[dict[str, Any]]]:
        """Page through one query; None when it ended, else the (timestamp, id) of its last
        deal when it reached the cap with more to come."""
        after: str | None = None
        read = 0
        last: tuple[int, str] | None = None
        while True:
            body: dict[str, Any] = {
                "filterGroups": [{"filters": filters}],
                "sorts": [{"propertyName": sort, "direction": "ASCENDING"}],
                "properties": self.properties, "limit": self.limit}
            if after is not None:
                body["after"] = after
            answer = self._post(body)
            results = answer.get("results")
            if not isinstance(results, list):
                raise ValueError("the search answer has no results list")
            rows = wire.crm_objects(results)
            read += len(rows)
            if rows:
                last = (_modified_ms(rows[-1]), str(rows[-1].get("id")))
            fresh = [row for row in rows if str(row.get("id")) not in self.seen]
            self.seen.update(str(row.get("id")) for row in fresh)
            yield fresh
            following = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not following or not rows:
                return None
            if read >= self.cap:
                return last
            after = str(following)

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        # Search is limited per second per portal and its answers carry no rate-limit headers:
        # calls are spaced instead of earning 429s.
        wait = self._last_call + self.min_interval - time.monotonic()
        if wait > 0:
            http.pause(wait)
        self._last_call = time.monotonic()
        response = self.client.request(self.path, method="POST", json=body, hooks=self.hooks)
        try:
            answer = response.json()
        except ValueError:
            raise ValueError("the search answer is not JSON") from None
        if not isinstance(answer, dict):
            raise ValueError("the search answer is not a JSON object")
        return answer


def _require_progress(progressed: bool, filters: list[dict[str, str]],
                      last: tuple[int, str]) -> None:
    """A window must end past where it began, or the next would be the same query (an answer
    that ignores its filters): refused rather than asked forever."""
    if not progressed:
        raise ValueError(f"search windows make no progress: HubSpot answered {filters} with "
                         f"deal {last[1]!r} (hs_lastmodifieddate {last[0]}) last")


def _modified_ms(row: dict[str, Any]) -> int:
    value = row.get(MODIFIED)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"deal {row.get('id')!r}: field {MODIFIED!r}: {value!r} is not a "
                         f"valid timestamp") from None
    return int(moment.timestamp() * 1000)
