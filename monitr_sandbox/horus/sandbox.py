"""HorusSandbox: one customer's Horus installation: its folders, tokens, rate limit and controls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitr_sandbox.controls import (
    AdministrationsThatDisappear,
    DayReplay,
    FaultsAndRequestLog,
    OAuthTokenControls,
)
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.horus.books import FolderBooks
from monitr_sandbox.horus.installations import INSTALLATIONS, Folder, Installation
from monitr_sandbox.horus.tokens import ACCESS_TOKEN_TTL, TokenStore
from monitr_sandbox.ledger import Entry, Line, add_entry, change_line, delete_entry
from monitr_sandbox.state import SandboxState

# Calls per minute per installation (an assumption: Horus publishes none).
RATE_LIMIT = 300
RELAXED_RATE_LIMIT = 100_000
_WINDOW_SECONDS = 60


@dataclass
class Verdict:
    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    """A fixed window per installation: X-RateLimit-Limit/-Remaining/-Reset on every answer,
    429 with Retry-After once the window's calls are spent."""

    def __init__(self, limit: int, clock: Callable[[], float]):
        self.limit, self._clock = limit, clock
        self._window_start, self._used = 0.0, 0

    def spend(self) -> Verdict:
        now = self._clock()
        if now - self._window_start >= _WINDOW_SECONDS:
            self._window_start, self._used = now, 0
        reset = max(0, int(self._window_start + _WINDOW_SECONDS - now + 0.999))
        allowed = self._used < self.limit
        if allowed:
            self._used += 1
        headers = {"X-RateLimit-Limit": str(self.limit),
                   "X-RateLimit-Remaining": str(max(0, self.limit - self._used)),
                   "X-RateLimit-Reset": str(reset)}
        if not allowed:
            headers["Retry-After"] = str(reset)
        return Verdict(allowed, headers)


class HorusSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                   AdministrationsThatDisappear):
    """Everything behind one installation's address. Public methods take `lock`, so tests may
    call them while the threaded server is serving."""

    def __init__(self, environment: str = "fiduciary", state_path: Path | str | None = None,
                 day: int = 0, *, access_token_ttl: int = ACCESS_TOKEN_TTL,
                 rate_limit: int = RATE_LIMIT, clock: Callable[[], float] | None = None):
        self.environment = environment
        self.installation: Installation = INSTALLATIONS[environment]
        self.access_token_ttl = access_token_ttl
        self.clock: Callable[[], float] = clock or time.time  # tests may replace it
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self.limiter = RateLimiter(rate_limit, lambda: self.clock())
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = TokenStore(self._state.oauth, clock=lambda: self.clock(),
                                 access_ttl=lambda: self.access_token_ttl,
                                 on_change=self._state.save)
        self._books: dict[int, FolderBooks] = {}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- folders ------------------------------------------------------------------------------------
    @property
    def folders(self) -> list[Folder]:
        """The folders the login opens now."""
        gone = set(self._removed_administrations())
        return [f for f in self.installation.folders if str(f.id) not in gone]

    def _administration_ids(self) -> set[str]:
        return {str(f.id) for f in self.installation.folders}

    def visible_folder(self, folder_id: str) -> Folder | None:
        return next((f for f in self.folders if str(f.id) == folder_id), None)

    def books(self, folder_id: int | str) -> FolderBooks:
        with self.lock:
            folder_id = int(folder_id)
            books = self._books.get(folder_id)
            if books is None:
                folder = next(f for f in self.installation.folders if f.id == folder_id)
                books = self._books[folder_id] = FolderBooks(folder)
                for day in range(1, self._state.day + 1):
                    books.apply_day(day)
            return books

    def _replayed_books(self):
        return self._books.values()

    # --- what a bookkeeper does between two imports ---------------------------------------------------
    def add_entry(self, folder_id: int, **kwargs: Any) -> Entry:
        with self.lock:
            return add_entry(self.books(folder_id).ledger, **kwargs)

    def change_line(self, folder_id: int, line_id: Any, **fields: Any) -> Line:
        with self.lock:
            return change_line(self.books(folder_id).ledger, line_id, **fields)

    def delete_entry(self, folder_id: int, entry_number: int) -> Entry:
        with self.lock:
            return delete_entry(self.books(folder_id).ledger, entry_number)
