"""Minox's rate limit as observed (Apideck): about 20 requests a window per subscription, then a
429 with a long Retry-After (120 s in production). Every answer carries x-rate-limit-limit,
x-rate-limit-remaining and x-rate-limit-reset (epoch milliseconds, the end of the window or of
the penalty); onetoweb/minox's Client::throttle reads exactly these three.

Assumptions: the window is a fixed 60 s from its first call (the real length was not found); a
call refused with a 429 starts a penalty of `retry_after` seconds in which every call is refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Window:
    started: float
    calls: int = 0
    blocked_until: float = 0.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]


class RateLimits:
    def __init__(self, limit: int, window_seconds: float, retry_after: float,
                 clock: Callable[[], float]):
        self.limit, self.window_seconds, self.retry_after = limit, window_seconds, retry_after
        self._clock = clock
        self._windows: dict[int, _Window] = {}

    def spend(self, client_number: int) -> Verdict:
        now = self._clock()
        window = self._windows.get(client_number)
        if window is None or (now >= window.started + self.window_seconds
                              and now >= window.blocked_until):
            window = self._windows[client_number] = _Window(now)
        if now < window.blocked_until or window.calls >= self.limit:
            window.blocked_until = max(window.blocked_until, now + self.retry_after)
            wait = math.ceil(window.blocked_until - now)
            return Verdict(False, {**self._headers(0, window.blocked_until),
                                   "Retry-After": str(wait)})
        window.calls += 1
        return Verdict(True, self._headers(self.limit - window.calls,
                                           window.started + self.window_seconds))

    def _headers(self, remaining: int, reset_at: float) -> dict[str, str]:
        return {"x-rate-limit-limit": str(self.limit), "x-rate-limit-remaining": str(remaining),
                "x-rate-limit-reset": str(int(reset_at * 1000))}
