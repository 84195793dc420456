"""Scripted failures: the next N requests matching a pattern get a canned response instead."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Fault:
    pattern: re.Pattern
    status: int
    remaining: int
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class FaultInjector:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, path_pattern: str, status: int, times: int = 1, body: str | None = None,
            headers: dict[str, str] | None = None) -> None:
        self._faults.append(Fault(re.compile(path_pattern), status, times, body, dict(headers or {})))

    def take(self, target: str) -> Fault | None:
        """The first armed fault whose pattern is found in `target` (path plus query), used once."""
        for fault in self._faults:
            if fault.remaining > 0 and fault.pattern.search(target):
                fault.remaining -= 1
                return fault
        return None

    def clear(self) -> None:
        self._faults.clear()
