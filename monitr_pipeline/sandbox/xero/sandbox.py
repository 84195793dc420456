"""XeroSandbox: the sandbox user's Xero login: organisations, tokens, quotas and test controls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monitr_pipeline.sandbox.exact_online.faults import FaultInjector
from monitr_pipeline.sandbox.exact_online.state import SandboxState
from monitr_pipeline.sandbox.ledger import Entry, Ledger
from monitr_pipeline.sandbox.xero.books import TenantBooks
from monitr_pipeline.sandbox.xero.identity import ACCESS_TOKEN_TTL, IdentityService
from monitr_pipeline.sandbox.xero.quotas import XeroQuotas
from monitr_pipeline.sandbox.xero.tenants import SANDBOX_TENANTS, Tenant, tenant
from monitr_pipeline.sandbox.controls import DayReplay, FaultsAndRequestLog


class XeroSandbox(DayReplay, FaultsAndRequestLog):
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
        self._state.data.setdefault("disconnected_tenants", [])
        self.identity = IdentityService(
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
        """The organisations the sandbox user can connect (not disconnected)."""
        gone = set(self._state.data["disconnected_tenants"])
        return [t for t in SANDBOX_TENANTS if t.tenant_id not in gone]

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

    def disconnect_tenant(self, tenant_id: str) -> None:
        """The user removed the app's access to an organisation: its calls now answer 403."""
        with self.lock:
            tenant(tenant_id)
            self.identity.disconnect(tenant_id)
            if tenant_id not in self._state.data["disconnected_tenants"]:
                self._state.data["disconnected_tenants"].append(tenant_id)
            self._state.save()

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
            code = self.identity.authorize("urn:sandbox", list(scopes), None, None)
            return self.identity.exchange(code, "urn:sandbox", None)

    def revoke_all_tokens(self) -> None:
        with self.lock:
            self.identity.revoke_all()

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.identity.expire_access_tokens()

    # --- faults -------------------------------------------------------------------------------------
