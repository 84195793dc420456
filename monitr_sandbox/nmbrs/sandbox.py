"""NmbrsSandbox: the companies one accountant's login sees, the OAuth grants, the subscription's
rate limit and the test controls behind the emulator."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from monitr_sandbox.controls import (
    AdministrationsThatDisappear,
    DayReplay,
    FaultsAndRequestLog,
    OAuthTokenControls,
)
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.nmbrs.companies import SANDBOX_COMPANIES, Company
from monitr_sandbox.nmbrs.tokens import ACCESS_TOKEN_TTL, NmbrsGrants
from monitr_sandbox.state import SandboxState

# Not published: assumed 100 calls a minute per subscription key, then 429 with Retry-After.
RATE_LIMIT, RATE_WINDOW_SECONDS = 100, 60.0
SANDBOX_USER = "accountant@demo-accountancy.nl"


class NmbrsSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                   AdministrationsThatDisappear):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while
    the threaded server is serving."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 rate_limit: int = RATE_LIMIT, rate_window_seconds: float = RATE_WINDOW_SECONDS,
                 access_token_ttl: int = ACCESS_TOKEN_TTL,
                 clock: Callable[[], float] | None = None):
        self.access_token_ttl = access_token_ttl
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = NmbrsGrants(self._state.oauth, clock=lambda: self.clock(),
                                  access_ttl=lambda: self.access_token_ttl,
                                  on_change=self._state.save)
        self.rate_limit, self.rate_window_seconds = rate_limit, rate_window_seconds
        self._calls: deque[float] = deque()
        self._companies = {profile.company_id: Company(profile) for profile in SANDBOX_COMPANIES}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- companies ----------------------------------------------------------------------------
    def companies(self) -> list[Company]:
        """What the login sees: every company not removed."""
        gone = set(self._removed_administrations())
        return [c for c in self._companies.values() if c.company_id not in gone]

    def company(self, company_id: str) -> Company:
        return self._companies[company_id]

    def company_named(self, name: str) -> Company:
        return next(c for c in self._companies.values() if c.name == name)

    def _administration_ids(self) -> set[str]:
        return set(self._companies)

    def _replayed_books(self):
        return self._companies.values()

    # --- the subscription's rate limit --------------------------------------------------------
    def spend_call(self) -> float | None:
        """Count a call; None when allowed, else the seconds until one is (Retry-After)."""
        now = self.clock()
        while self._calls and now - self._calls[0] >= self.rate_window_seconds:
            self._calls.popleft()
        if len(self._calls) >= self.rate_limit:
            return max(self.rate_window_seconds - (now - self._calls[0]), 1.0)
        self._calls.append(now)
        return None

    # --- OAuth ----------------------------------------------------------------------------------
    def issue_tokens(self, scopes: tuple[str, ...]) -> dict:
        """A fresh consent of the sandbox login, without the browser round trip."""
        with self.lock:
            code = self.tokens.issue_code("urn:sandbox", scopes=list(scopes), user=SANDBOX_USER)
            return self.tokens.exchange_code(code, "urn:sandbox")
