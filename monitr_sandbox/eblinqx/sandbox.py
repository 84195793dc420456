"""EBlinqxSandbox: the companies of one eBlinqx Fiscaal account, its API keys, the links of its
companies to Monitr entities, the key's rate limit and the test controls behind the emulator."""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from monitr_sandbox.controls import AdministrationsThatDisappear, DayReplay, FaultsAndRequestLog
from monitr_sandbox.eblinqx.companies import SANDBOX_COMPANIES, Company
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.state import SandboxState

# Not published: assumed 60 calls a minute per API key, then 429 with Retry-After.
RATE_LIMIT, RATE_WINDOW_SECONDS = 60, 60.0


class EBlinqxSandbox(DayReplay, FaultsAndRequestLog, AdministrationsThatDisappear):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while
    the threaded server is serving. API keys, links and the day survive a restart."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 rate_limit: int = RATE_LIMIT, rate_window_seconds: float = RATE_WINDOW_SECONDS,
                 clock: Callable[[], float] | None = None):
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        new_account = "api_keys" not in self._state.data
        self._keys: list[str] = self._state.data.setdefault("api_keys", [])
        self._links: dict[str, str | None] = self._state.data.setdefault("links", {})
        self.rate_limit, self.rate_window_seconds = rate_limit, rate_window_seconds
        self._calls: deque[float] = deque()
        self._companies = {p.company_id: Company(p) for p in SANDBOX_COMPANIES}
        for company_id, reference in self._links.items():
            self._companies[company_id].monitr_client_id = reference
        if new_account:  # the key the sandbox user made; a deleted key stays deleted
            self.issue_api_key()
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- companies ----------------------------------------------------------------------------
    def companies(self) -> list[Company]:
        """What the account sees: every company not removed."""
        with self.lock:
            gone = set(self._removed_administrations())
            return [c for c in self._companies.values() if c.company_id not in gone]

    def company(self, company_id: str) -> Company | None:
        """A company the account sees, else None."""
        with self.lock:
            return next((c for c in self.companies() if c.company_id == company_id), None)

    def company_named(self, name: str) -> Company:
        return next(c for c in self._companies.values() if c.name == name)

    def link(self, company_id: str, monitr_client_id: str | None) -> None:
        """Store the Monitr entity a company is linked to (POST /companies, or the user in
        eBlinqx Fiscaal)."""
        with self.lock:
            self._companies[company_id].monitr_client_id = monitr_client_id
            self._links[company_id] = monitr_client_id
            self._state.save()

    def delete_annual_account(self, company_id: str, fiscal_year: int) -> None:
        """The accountant deletes a year's annual accounts in eBlinqx Fiscaal."""
        with self.lock:
            del self._companies[company_id].accounts[fiscal_year]

    def _administration_ids(self) -> set[str]:
        return set(self._companies)

    def _replayed_books(self):
        return self._companies.values()

    # --- API keys -------------------------------------------------------------------------------
    @property
    def api_key(self) -> str | None:
        """The key the sandbox user pastes into Monitr (None once deleted)."""
        with self.lock:
            return self._keys[-1] if self._keys else None

    def issue_api_key(self) -> str:
        """Instellingen > Koppelingen > Financial data API > Nieuwe API Key."""
        with self.lock:
            key = f"fqx_{secrets.token_urlsafe(32)}"
            self._keys.append(key)
            self._state.save()
            return key

    def revoke_api_key(self) -> None:
        """The user deletes the account's API keys."""
        with self.lock:
            self._keys.clear()
            self._state.save()

    def key_valid(self, key: str | None) -> bool:
        with self.lock:
            return bool(key) and key in self._keys

    # --- the key's rate limit -------------------------------------------------------------------
    def spend_call(self) -> float | None:
        """Count a call; None when allowed, else the seconds until one is (Retry-After)."""
        with self.lock:
            now = self.clock()
            while self._calls and now - self._calls[0] >= self.rate_window_seconds:
                self._calls.popleft()
            if len(self._calls) >= self.rate_limit:
                return max(self.rate_window_seconds - (now - self._calls[0]), 1.0)
            self._calls.append(now)
            return None
