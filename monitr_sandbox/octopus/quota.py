"""Octopus's very low daily call limits (reported; the numbers are not published): a budget of
calls per login and UTC day. A refused call is a 429 with Retry-After (seconds to the next day)
and does not count."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

_DAY = 86_400


@dataclass(frozen=True)
class QuotaVerdict:
    allowed: bool
    retry_after: int = 0


class DailyBudget:
    def __init__(self, calls_per_day: int, clock: Callable[[], float]):
        self.calls_per_day = calls_per_day
        self._clock = clock
        self._day, self.used = -1, 0

    def spend(self) -> QuotaVerdict:
        now = self._clock()
        day = int(now // _DAY)
        if day != self._day:
            self._day, self.used = day, 0
        if self.used >= self.calls_per_day:
            return QuotaVerdict(False, max(1, math.ceil((day + 1) * _DAY - now)))
        self.used += 1
        return QuotaVerdict(True)
