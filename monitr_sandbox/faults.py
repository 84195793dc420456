"""Scripted failures: the next N requests matching a pattern are answered otherwise.

A fault may replace the answer (a status and body), slow it down (`delay`), change the real answer
before it is sent (`edit`, on its JSON), or change the emulator's data just before answering
(`action`: a record inserted or deleted between two page reads).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fault:
    pattern: re.Pattern
    # None: answer as usual (after the delay, the action, and with the edit).
    status: int | None
    remaining: int
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    edit: Callable[[Any], Any] | None = None
    action: Callable[[], None] | None = None

    @property
    def replaces_answer(self) -> bool:
        return self.status is not None


class FaultInjector:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, path_pattern: str, status: int | None, times: int = 1, body: str | None = None,
            headers: dict[str, str] | None = None, delay: float = 0.0,
            edit: Callable[[Any], Any] | None = None,
            action: Callable[[], None] | None = None) -> None:
        self._faults.append(Fault(re.compile(path_pattern), status, times, body,
                                  dict(headers or {}), delay, edit, action))

    def take(self, target: str) -> Fault | None:
        """The first armed fault whose pattern is found in `target` (path plus query), used once."""
        for fault in self._faults:
            if fault.remaining > 0 and fault.pattern.search(target):
                fault.remaining -= 1
                return fault
        return None

    def clear(self) -> None:
        self._faults.clear()
