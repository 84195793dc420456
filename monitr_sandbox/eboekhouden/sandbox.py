"""EBoekhoudenSandbox: one administration with its API token, sessions, quota, faults and test controls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from monitr_sandbox.controls import FaultsAndRequestLog
from monitr_sandbox.eboekhouden.administration import SANDBOX_ADMINISTRATION
from monitr_sandbox.eboekhouden.books import AdministrationBooks
from monitr_sandbox.eboekhouden.sessions import SessionStore
from monitr_sandbox.exact_online.ratelimit import RateLimiter, Verdict
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import AdministrationProfile, DayChanges, Entry, Ledger, Line
from monitr_sandbox.state import SandboxState

# e-Boekhouden's numeric limits were not found (API_FACTS.md section 7): these are the sandbox's.
DEFAULT_REQUESTS_PER_MINUTE = 1000
SESSION_TTL_SECONDS = 3600
_QUOTA_KEY = "api-token"  # one administration, one token: one quota


class EBoekhoudenSandbox(FaultsAndRequestLog):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while the
    threaded server answers requests."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 session_ttl: int = SESSION_TTL_SECONDS,
                 requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
                 profile: AdministrationProfile = SANDBOX_ADMINISTRATION,
                 clock: Callable[[], float] | None = None):
        self.clock: Callable[[], float] = clock or time.time
        self.session_ttl = session_ttl
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.sessions = SessionStore(self._state.data.setdefault("eboekhouden", {}),
                                     clock=lambda: self.clock(), ttl=lambda: self.session_ttl,
                                     on_change=self._state.save)
        if not self.sessions.data["api_tokens"]:
            self.sessions.issue_api_token()  # the token the sandbox user created in the UI
        self.rate_limiter = RateLimiter(requests_per_minute, 10**9, lambda: self.clock())
        self.faults = FaultInjector()
        self._sessions_left: int | None = None
        self.books = AdministrationBooks(profile)
        # Replay to the later of the requested and the stored day: a restart never goes back.
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- the administration -----------------------------------------------------------------------
    @property
    def profile(self) -> AdministrationProfile:
        return self.books.ledger.profile

    def ledger(self) -> Ledger:
        return self.books.ledger

    @property
    def day(self) -> int:
        return self._state.day

    def advance_to_day(self, day: int) -> list[DayChanges]:
        """Apply the ledger's bookkeeping days up to `day`; a day already reached changes nothing."""
        with self.lock:
            if day < self._state.day:
                raise ValueError(f"the sandbox is at day {self._state.day}; it cannot go back to {day}")
            changes = []
            for next_day in range(self._state.day + 1, day + 1):
                changes.append(self.books.apply_day(next_day))
                self._state.day = next_day
            self._state.save()
            return changes

    # A bookkeeper's edits (test controls; in memory only: a restart replays the days alone) -------
    def add_entry(self, **booking) -> Entry:
        with self.lock:
            return self.books.add_entry(**booking)

    def change_row(self, mutation_id: int, row_number: int, **fields) -> Line:
        with self.lock:
            return self.books.change_row(mutation_id, row_number, **fields)

    def delete_mutation(self, mutation_id: int) -> Entry:
        with self.lock:
            return self.books.delete_mutation(mutation_id)

    # --- the API token and sessions -----------------------------------------------------------------
    @property
    def api_token(self) -> str | None:
        """The token the sandbox user would paste into Monitr (None once revoked)."""
        with self.lock:
            return self.sessions.current_api_token()

    def issue_api_key(self) -> str:
        with self.lock:
            return self.sessions.issue_api_token()

    def revoke_api_key(self) -> None:
        with self.lock:
            self.sessions.revoke_api_tokens()

    def expire_api_key(self) -> None:
        with self.lock:
            self.sessions.expire_api_tokens()

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.expire_sessions()

    def expire_sessions_after(self, requests: int) -> None:
        """Every open session expires once `requests` more API calls have been answered."""
        with self.lock:
            self._sessions_left = requests

    def session_valid(self, session_token: str) -> bool:
        with self.lock:
            return self.sessions.valid(session_token)

    def count_api_call(self) -> Verdict:
        """Count an authenticated call against the quota (429s do not count) and the expiry timer."""
        with self.lock:
            verdict = self.rate_limiter.hit(_QUOTA_KEY)
            if verdict.allowed and self._sessions_left is not None:
                self._sessions_left -= 1
                if self._sessions_left <= 0:
                    self._sessions_left = None
                    self.sessions.expire_sessions()
            return verdict

    # --- faults -----------------------------------------------------------------------------------
