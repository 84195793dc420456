"""HubSpot's rate limits per portal as emulated: a ten-second window for the CRM endpoints
(answers carry X-HubSpot-RateLimit-Max, -Remaining and -Interval-Milliseconds, and -Secondly and
-Secondly-Remaining), and the search endpoints' own per-second limit, whose answers carry no
rate-limit headers (a HubSpot community report: search answers only X-HubSpot-Correlation-Id).
Over a limit: 429 with HubSpot's RATE_LIMIT body and Retry-After.

Assumption: fixed windows from their first call (HubSpot speaks of a rolling window)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

# OAuth apps: 110 calls every 10 seconds per portal; search: 5 calls a second per portal.
TEN_SECONDLY, SEARCH_SECONDLY = 110, 5


@dataclass
class _Window:
    started: float
    calls: int = 0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]
    policy: str = ""


class RateLimits:
    def __init__(self, ten_secondly: int, search_secondly: int, clock: Callable[[], float]):
        self.ten_secondly, self.search_secondly = ten_secondly, search_secondly
        self._clock = clock
        self._windows: dict[tuple[int, str], _Window] = {}

    def spend(self, hub_id: int, search: bool = False) -> Verdict:
        now = self._clock()
        kind, seconds, limit = (("search", 1.0, self.search_secondly) if search
                                else ("crm", 10.0, self.ten_secondly))
        window = self._windows.get((hub_id, kind))
        if window is None or now >= window.started + seconds:
            window = self._windows[(hub_id, kind)] = _Window(now)
        wait = str(max(1, math.ceil(window.started + seconds - now)))
        if window.calls >= limit:
            headers = {} if search else {**self._headers(limit, 0), "Retry-After": wait}
            if search:
                headers["Retry-After"] = wait
            return Verdict(False, headers,
                           "SECONDLY" if search else "TEN_SECONDLY_ROLLING")
        window.calls += 1
        return Verdict(True, {} if search else self._headers(limit, limit - window.calls))

    def _headers(self, limit: int, remaining: int) -> dict[str, str]:
        secondly = max(1, limit // 10)
        return {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Max": str(limit),
                "X-HubSpot-RateLimit-Remaining": str(remaining),
                "X-HubSpot-RateLimit-Secondly": str(secondly),
                "X-HubSpot-RateLimit-Secondly-Remaining": str(min(secondly, remaining))}

    def reset(self) -> None:
        self._windows.clear()
