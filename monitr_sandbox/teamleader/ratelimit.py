"""Teamleader's rate limit as emulated: 200 calls in any sliding minute per integration and
account. Every answer carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset
(when the oldest call counted leaves the window, ISO 8601 with milliseconds); over the limit,
429 (introduction.apib, "Rate limiting")."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

LIMIT_PER_MINUTE = 200
WINDOW_SECONDS = 60.0


class SlidingMinute:
    def __init__(self, limit: int, clock: Callable[[], float]):
        self.limit, self._clock = limit, clock
        self._calls: deque[float] = deque()

    def spend(self) -> tuple[bool, dict[str, str]]:
        now = self._clock()
        while self._calls and self._calls[0] <= now - WINDOW_SECONDS:
            self._calls.popleft()
        allowed = len(self._calls) < self.limit
        if allowed:
            self._calls.append(now)
        oldest = self._calls[0] if self._calls else now
        reset = datetime.fromtimestamp(oldest + WINDOW_SECONDS, UTC)
        return allowed, {"X-RateLimit-Limit": str(self.limit),
                         "X-RateLimit-Remaining": str(self.limit - len(self._calls)),
                         "X-RateLimit-Reset": reset.isoformat(timespec="milliseconds")}

    def reset(self) -> None:
        self._calls.clear()
