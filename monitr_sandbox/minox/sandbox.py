"""MinoxSandbox: every sandbox subscription's books, the OAuth grants, rate limits and test
controls behind the emulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from monitr_sandbox.controls import (
    AdministrationsThatDisappear,
    DayReplay,
    FaultsAndRequestLog,
    OAuthTokenControls,
)
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Ledger
from monitr_sandbox.minox.books import AdministrationBooks
from monitr_sandbox.minox.ratelimit import RateLimits
from monitr_sandbox.minox.tenants import SANDBOX_TENANTS, Tenant, external_id, tenant
from monitr_sandbox.minox.tokens import ACCESS_TOKEN_TTL, MinoxGrants
from monitr_sandbox.state import SandboxState

# Production: about 20 calls a window, then 120 s. Tests shorten both.
RATE_LIMIT, RATE_WINDOW_SECONDS, RETRY_AFTER_SECONDS = 20, 60.0, 120.0


class MinoxSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                   AdministrationsThatDisappear):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while
    the threaded server is serving."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 rate_limit: int = RATE_LIMIT, rate_window_seconds: float = RATE_WINDOW_SECONDS,
                 retry_after_seconds: float = RETRY_AFTER_SECONDS,
                 access_token_ttl: int = ACCESS_TOKEN_TTL,
                 clock: Callable[[], float] | None = None):
        self.access_token_ttl = access_token_ttl
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = MinoxGrants(self._state.oauth, clock=lambda: self.clock(),
                                  access_ttl=lambda: self.access_token_ttl,
                                  on_change=self._state.save)
        self.rate_limits = RateLimits(rate_limit, rate_window_seconds, retry_after_seconds,
                                      lambda: self.clock())
        self._books: dict[str, AdministrationBooks] = {}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- subscriptions and administrations ---------------------------------------------------
    @property
    def tenants(self) -> tuple[Tenant, ...]:
        return SANDBOX_TENANTS

    def tenant(self, client_number: int) -> Tenant:
        return tenant(client_number)

    def visible_administrations(self, client_number: int) -> list:
        """What the subscription's main user sees: its administrations not removed."""
        gone = set(self._removed_administrations())
        found = self.tenant(client_number)
        return [a for a in found.administrations if external_id(found, a) not in gone]

    def _administration_ids(self) -> set[str]:
        return {external_id(t, a) for t in SANDBOX_TENANTS for a in t.administrations}

    def books(self, client_number: int, administration_id: int) -> AdministrationBooks:
        key = f"{client_number}/{administration_id}"
        with self.lock:
            books = self._books.get(key)
            if books is None:
                administration = self.tenant(client_number).administration(administration_id)
                books = self._books[key] = AdministrationBooks(administration)
                for day in range(1, self._state.day + 1):
                    books.apply_day(day)
            return books

    def ledger(self, client_number: int, administration_id: int) -> Ledger:
        return self.books(client_number, administration_id).ledger

    def _replayed_books(self):
        return self._books.values()

    # --- OAuth ----------------------------------------------------------------------------------
    def issue_tokens(self, client_number: int, scopes: tuple[str, ...]) -> dict:
        """A fresh consent of the subscription's main user, without the browser round trip."""
        with self.lock:
            found = self.tenant(client_number)
            code = self.tokens.issue_code("urn:sandbox", scopes=list(scopes),
                                          client_number=found.client_number, user=found.main_user)
            return self.tokens.exchange_code(code, "urn:sandbox")
