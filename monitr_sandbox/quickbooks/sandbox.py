"""QuickBooksSandbox: the sandbox company, Intuit's tokens, throttles and test controls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from uuid import UUID

from monitr_sandbox.controls import (
    AdministrationsThatDisappear,
    FaultsAndRequestLog,
    OAuthTokenControls,
)
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Entry, Ledger, Line, Posting, Relation
from monitr_sandbox.quickbooks.books import CompanyBooks
from monitr_sandbox.quickbooks.company import SANDBOX_COMPANY, SANDBOX_REALM
from monitr_sandbox.quickbooks.reports import CELL_LIMIT
from monitr_sandbox.quickbooks.tokens import IntuitTokens
from monitr_sandbox.state import SandboxState


class Throttle:
    """Intuit's limits per company: requests a minute (500) and requests at once (10)."""

    def __init__(self, per_minute: int, concurrent: int, clock: Callable[[], float]):
        self.per_minute, self.concurrent, self._clock = per_minute, concurrent, clock
        self._minute, self._calls, self._running = -1, 0, 0
        self._lock = threading.Lock()

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Whether a request may run now (refused ones are not counted)."""
        with self._lock:
            minute = int(self._clock() // 60)
            if minute != self._minute:
                self._minute, self._calls = minute, 0
            allowed = self._calls < self.per_minute and self._running < self.concurrent
            if allowed:
                self._calls += 1
                self._running += 1
        try:
            yield allowed
        finally:
            if allowed:
                with self._lock:
                    self._running -= 1


class QuickBooksSandbox(FaultsAndRequestLog, OAuthTokenControls, AdministrationsThatDisappear):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while the
    threaded server is serving requests."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 access_token_ttl: int = 3600, refresh_rotation_seconds: int = 86_400,
                 per_minute_limit: int = 500, concurrent_limit: int = 10,
                 clock: Callable[[], float] | None = None):
        self.access_token_ttl = access_token_ttl
        # Intuit changes a refresh token's value at most daily; 0 changes it on every refresh.
        self.refresh_rotation_seconds = refresh_rotation_seconds
        self.clock: Callable[[], float] = clock or time.time  # tests may replace it
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.realm = SANDBOX_REALM
        self._state = SandboxState(Path(state_path) if state_path else None)
        self._state.data.setdefault("created_at", int(self.clock()))
        self._day_times: dict[str, int] = self._state.data.setdefault("day_times", {})
        self.tokens = IntuitTokens(self._state.oauth, clock=lambda: self.clock(),
                                   access_ttl=lambda: self.access_token_ttl,
                                   rotate_after=lambda: self.refresh_rotation_seconds,
                                   on_change=self._state.save)
        self.throttle = Throttle(per_minute_limit, concurrent_limit, lambda: self.clock())
        self.faults = FaultInjector()
        # Intuit cuts a report at 400,000 cells; tests lower it to see a window split.
        self.report_cell_limit = CELL_LIMIT
        self.books = CompanyBooks(SANDBOX_COMPANY, self._state.data["created_at"])
        # Replay to the later of the requested and the stored day, at the stored moments.
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    def ledger(self, realm: str) -> Ledger:
        """The books of the company with this realmId (the sandbox has one)."""
        if str(realm) != self.realm:
            raise KeyError(f"no company {realm} in the QuickBooks sandbox")
        return self.books.ledger

    def _administration_ids(self) -> set[str]:
        # Removing it: the company was deleted or its subscription ended, or the consenting user
        # lost access; every call for it answers 403 ApplicationAuthorizationFailed (3100).
        return {self.realm}

    def now(self) -> int:
        return int(self.clock())

    # --- time moves on ----------------------------------------------------------------------------
    @property
    def day(self) -> int:
        return self._state.day

    def advance_to_day(self, day: int) -> None:
        """Apply the ledger's bookkeeping days up to `day`, each written at the moment it is first
        applied; a day already reached changes nothing."""
        with self.lock:
            if day < self._state.day:
                raise ValueError(f"the sandbox is at day {self._state.day}; it cannot go back to {day}")
            for next_day in range(self._state.day + 1, day + 1):
                at = self._day_times.setdefault(str(next_day), self.now())
                self.books.apply_day(next_day, at)
                self._state.day = next_day
            self._state.save()

    def add_entry(self, *, date: date, lines: Iterable[Posting | Mapping | tuple],
                  description: str = "", entry_type: str = "general",
                  relation: Relation | str | None = None) -> Entry:
        """Book a journal entry now; lines are (account_code, amount) tuples, dicts or Postings."""
        with self.lock:
            return self.books.add_entry(self.now(), on=date, lines=lines, description=description,
                                        entry_type=entry_type, relation=relation)

    def change_line(self, line_id: UUID | str, **fields) -> Line:
        with self.lock:
            return self.books.change_line(self.now(), line_id, **fields)

    def change_date(self, entry_number: int, on: date) -> Entry:
        with self.lock:
            return self.books.change_date(self.now(), entry_number, on)

    def delete_entry(self, entry_number: int) -> Entry:
        with self.lock:
            return self.books.delete_entry(self.now(), entry_number)

    # --- OAuth controls ---------------------------------------------------------------------------
    def issue_tokens(self) -> dict:
        """A fresh consent for the company without the browser round trip."""
        with self.lock:
            return self.tokens.new_grant(self.realm)

    # --- faults -----------------------------------------------------------------------------------
