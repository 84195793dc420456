"""Exact's call quotas per division (and per user for /current/Me): minutely and daily windows."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

_MINUTE, _DAY = 60, 86400


@dataclass
class _Usage:
    minute: int = -1
    minute_calls: int = 0
    day: int = -1
    day_calls: int = 0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    def __init__(self, minutely_limit: int, daily_limit: int, clock: Callable[[], float]):
        self.minutely_limit, self.daily_limit, self._clock = minutely_limit, daily_limit, clock
        self._usage: dict[object, _Usage] = {}

    def hit(self, key: object) -> Verdict:
        """Count a call against `key` unless a quota is used up; 429s do not count."""
        now = self._clock()
        minute, day = int(now // _MINUTE), int(now // _DAY)
        usage = self._usage.setdefault(key, _Usage())
        if usage.minute != minute:
            usage.minute, usage.minute_calls = minute, 0
        if usage.day != day:
            usage.day, usage.day_calls = day, 0
        minute_reset, day_reset = (minute + 1) * _MINUTE, (day + 1) * _DAY
        if usage.day_calls >= self.daily_limit:
            return Verdict(False, {**self._daily(0, day_reset),
                                   "Retry-After": str(math.ceil(day_reset - now))})
        if usage.minute_calls >= self.minutely_limit:
            # Exact sends only the minutely headers when the minutely quota is what ran out.
            return Verdict(False, {**self._minutely(0, minute_reset),
                                   "Retry-After": str(max(1, math.ceil(minute_reset - now)))})
        usage.minute_calls += 1
        usage.day_calls += 1
        return Verdict(True, {**self._daily(self.daily_limit - usage.day_calls, day_reset),
                              **self._minutely(self.minutely_limit - usage.minute_calls, minute_reset)})

    def _daily(self, remaining: int, reset: int) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.daily_limit), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(reset * 1000)}

    def _minutely(self, remaining: int, reset: int) -> dict[str, str]:
        return {"X-RateLimit-Minutely-Limit": str(self.minutely_limit),
                "X-RateLimit-Minutely-Remaining": str(remaining),
                "X-RateLimit-Minutely-Reset": str(reset * 1000)}
