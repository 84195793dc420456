"""XeroSandbox: the sandbox user's Xero login: organisations, tokens, quotas and test controls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monitr_sandbox.controls import (
    AdministrationsThatDisappear,
    DayReplay,
    FaultsAndRequestLog,
    OAuthTokenControls,
)
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Entry, Ledger
from monitr_sandbox.state import SandboxState
from monitr_sandbox.xero.books import TenantBooks
from monitr_sandbox.xero.identity import ACCESS_TOKEN_TTL, IdentityService
from monitr_sandbox.xero.quotas import XeroQuotas
from monitr_sandbox.xero.tenants import SANDBOX_TENANTS, Tenant, tenant


class XeroSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                  AdministrationsThatDisappear):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while the
    threaded server is serving."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 minute_limit: int = 60, day_limit: int = 5000, app_minute_limit: int = 10_000,
                 access_token_ttl: int = ACCESS_TOKEN_TTL, clock: Callable[[], float] | None = None):
        self.access_token_ttl = access_token_ttl
        self.clock: Callable[[], float] = clock or time.time  # tests may replace it
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = IdentityService(
            self._state.oauth, clock=lambda: self.clock(), on_change=self._state.save,
            tenant_ids=lambda: [t.tenant_id for t in self.tenants],
            access_token_ttl=lambda: self.access_token_ttl)
        self.quotas = XeroQuotas(minute_limit, day_limit, app_minute_limit, lambda: self.clock())
        self.faults = FaultInjector()
        # Books are generated on first use and replayed to the current day: deterministic either way.
        self._books: dict[str, TenantBooks] = {}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- organisations -------------------------------------------------------------------------
    @property
    def tenants(self) -> list[Tenant]:
        """The organisations the sandbox user can connect (not removed)."""
        gone = set(self._removed_administrations())
        return [t for t in SANDBOX_TENANTS if t.tenant_id not in gone]

    def _administration_ids(self) -> set[str]:
        return {t.tenant_id for t in SANDBOX_TENANTS}

    def _administration_removed(self, tenant_id: str) -> None:
        # The organisation was deleted or the user lost access: every connection to it goes, and
        # its calls answer 403 AuthenticationUnsuccessful.
        self.tokens.disconnect(tenant_id)

    def _administration_restored(self, tenant_id: str) -> None:
        # As if the user connected the organisation to the app again at Xero.
        self.tokens.reconnect(tenant_id)

    def books(self, tenant_id: str) -> TenantBooks:
        with self.lock:
            books = self._books.get(tenant_id)
            if books is None:
                books = self._books[tenant_id] = TenantBooks(tenant(tenant_id))
                for day in range(1, self._state.day + 1):
                    books.apply_day(day)
            return books

    def ledger(self, tenant_id: str) -> Ledger:
        return self.books(tenant_id).ledger

    # --- time moves on ---------------------------------------------------------------------------
    def _replayed_books(self):
        return self._books.values()

    def void_invoice(self, tenant_id: str, invoice_number: int) -> Entry:
        with self.lock:
            return self.books(tenant_id).void_invoice(invoice_number)

    # --- OAuth controls ---------------------------------------------------------------------------
    def issue_tokens(self, scopes: tuple[str, ...] = ("offline_access", "accounting.journals.read",
                                                      "accounting.transactions.read",
                                                      "accounting.settings.read", "assets.read")
                     ) -> dict[str, Any]:
        """A fresh consent without the browser round trip: the token endpoint's JSON answer."""
        with self.lock:
            code = self.tokens.issue_code("urn:sandbox", scopes=list(scopes))
            return self.tokens.exchange_code(code, "urn:sandbox")

    # --- faults -------------------------------------------------------------------------------------
