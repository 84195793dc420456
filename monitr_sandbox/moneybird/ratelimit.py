"""Moneybird's request quota: 150 requests per 5-minute window, told in RateLimit-* headers; over
it a 429 "Retry later" with Retry-After (API_FACTS.md section 2, openapi.yml 429 responses)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 300
REQUEST_LIMIT = 150


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    """Fixed windows aligned on the epoch, counted per key (the sandbox counts per consent: the
    copies of Moneybird's docs found do not say what the limit is scoped to)."""

    def __init__(self, limit: int, clock: Callable[[], float]):
        self.limit, self._clock = limit, clock
        self._windows: dict[object, tuple[int, int]] = {}  # key -> (window, requests in it)

    def hit(self, key: object) -> Verdict:
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        started, used = self._windows.get(key, (window, 0))
        if started != window:
            used = 0
        reset = (window + 1) * WINDOW_SECONDS
        if used >= self.limit:
            # Retry-After as delay seconds (RFC 9110); the spec text calls it an epoch time, which
            # reads as a copy of RateLimit-Reset's description.
            return Verdict(False, {**self._headers(0, reset),
                                   "Retry-After": str(max(1, math.ceil(reset - now)))})
        self._windows[key] = (window, used + 1)
        return Verdict(True, self._headers(self.limit - used - 1, reset))

    def _headers(self, remaining: int, reset: int) -> dict[str, str]:
        return {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(remaining),
                "RateLimit-Reset": str(reset)}
