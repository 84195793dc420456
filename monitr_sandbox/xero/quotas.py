"""Xero's call quotas: per tenant 60 a minute and 5,000 a day, per app 10,000 a minute.

Every answer carries X-DayLimit-Remaining, X-MinLimit-Remaining and X-AppMinLimit-Remaining; a
refused call is a 429 with Retry-After (seconds) and X-Rate-Limit-Problem naming the limit (day,
minute or appminute). Windows here are fixed clock minutes and UTC days (Xero does not publish
when its windows start). The limit of 5 concurrent calls is not emulated.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

_MINUTE, _DAY = 60, 86_400


@dataclass(frozen=True)
class QuotaVerdict:
    allowed: bool
    headers: dict[str, str]


class XeroQuotas:
    def __init__(self, minute_limit: int, day_limit: int, app_minute_limit: int,
                 clock: Callable[[], float]):
        self.minute_limit, self.day_limit, self.app_minute_limit = (minute_limit, day_limit,
                                                                    app_minute_limit)
        self._clock = clock
        self._calls: Counter[tuple] = Counter()  # (scope, window index) -> calls made

    def spend(self, tenant_id: str | None) -> QuotaVerdict:
        """Count one call against the app and, if given, the tenant; refused calls do not count."""
        now = self._clock()
        minute, day = int(now // _MINUTE), int(now // _DAY)
        windows = [("appminute", ("app", minute), self.app_minute_limit, (minute + 1) * _MINUTE)]
        if tenant_id is not None:
            # Checked in this order, so a spent day is reported as the day limit.
            windows[:0] = [("day", (tenant_id, "day", day), self.day_limit, (day + 1) * _DAY),
                           ("minute", (tenant_id, "minute", minute), self.minute_limit,
                            (minute + 1) * _MINUTE)]
        refused = next((w for w in windows if self._calls[w[1]] >= w[2]), None)
        if refused is None:
            for _, key, _, _ in windows:
                self._calls[key] += 1
        headers = {f"X-{name}-Remaining": str(max(limit - self._calls[key], 0))
                   for name, (_, key, limit, _) in zip(self._header_names(tenant_id), windows)}
        if refused is not None:
            problem, _, _, resets_at = refused
            headers.update({"Retry-After": str(max(1, math.ceil(resets_at - now))),
                            "X-Rate-Limit-Problem": problem})
        self._forget_old(minute, day)
        return QuotaVerdict(refused is None, headers)

    @staticmethod
    def _header_names(tenant_id: str | None) -> list[str]:
        return (["DayLimit", "MinLimit"] if tenant_id is not None else []) + ["AppMinLimit"]

    def _forget_old(self, minute: int, day: int) -> None:
        if len(self._calls) > 1000:
            current = {minute, day}
            self._calls = Counter({k: v for k, v in self._calls.items() if k[-1] in current})
