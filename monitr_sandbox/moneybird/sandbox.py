"""MoneybirdSandbox: one Moneybird login with its administrations, tokens, quota and test controls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from uuid import UUID

from monitr_sandbox.controls import (
    AdministrationsThatDisappear,
    DayReplay,
    FaultsAndRequestLog,
    OAuthTokenControls,
)
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Entry, Ledger, Line, Posting, Relation
from monitr_sandbox.moneybird.administrations import (
    SANDBOX_ADMINISTRATIONS,
    Administration,
)
from monitr_sandbox.moneybird.books import AdministrationBooks
from monitr_sandbox.moneybird.ratelimit import REQUEST_LIMIT, RateLimiter
from monitr_sandbox.moneybird.tokens import TokenStore
from monitr_sandbox.state import SandboxState


class MoneybirdSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                       AdministrationsThatDisappear):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while a
    threaded server is serving requests."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0,
                 request_limit: int = REQUEST_LIMIT, clock: Callable[[], float] | None = None,
                 administrations: Iterable[Administration] = SANDBOX_ADMINISTRATIONS):
        # Seconds since the epoch; tests may replace it (sandbox.clock = lambda: ...).
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.administrations = {a.id: a for a in administrations}
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = TokenStore(self._state.oauth, clock=lambda: self.clock(),
                                 on_change=self._state.save)
        self.rate_limiter = RateLimiter(request_limit, lambda: self.clock())
        self.faults = FaultInjector()
        # Books are generated on first use and replayed to the current day: deterministic either way.
        self._books: dict[str, AdministrationBooks] = {}
        # Replay to the later of the requested and the stored day: a restart never goes back.
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- administrations ---------------------------------------------------------------------------
    @property
    def visible_administrations(self) -> list[str]:
        """Ids of the administrations the login can see now (GET /administrations)."""
        return [a for a in self.administrations if self.administration_visible(a)]

    def _administration_ids(self) -> set[str]:
        return set(self.administrations)

    def books(self, administration_id: str) -> AdministrationBooks:
        with self.lock:
            books = self._books.get(str(administration_id))
            if books is None:
                administration = self.administrations[str(administration_id)]
                books = self._books[administration.id] = AdministrationBooks(administration)
                for day in range(1, self._state.day + 1):
                    books.apply_day(day)
            return books

    def ledger(self, administration_id: str) -> Ledger:
        return self.books(administration_id).ledger

    # --- time moves on ------------------------------------------------------------------------------
    def _replayed_books(self):
        return self._books.values()

    def add_entry(self, administration_id: str, *, date: date,
                  lines: Iterable[Posting | Mapping | tuple], description: str = "",
                  entry_type: str = "general", relation: Relation | str | None = None) -> Entry:
        """Book an entry now; lines are (account_code, amount) tuples, Posting dicts or Postings."""
        with self.lock:
            return self.books(administration_id).add_entry(
                date=date, lines=lines, description=description, entry_type=entry_type,
                relation=relation)

    def change_line(self, administration_id: str, line_id: UUID | str, **fields) -> Line:
        with self.lock:
            return self.books(administration_id).change_line(line_id, **fields)

    def delete_entry(self, administration_id: str, entry_number: int) -> Entry:
        with self.lock:
            return self.books(administration_id).delete_entry(entry_number)

    # --- OAuth controls -----------------------------------------------------------------------------
    def issue_tokens(self, scopes: Iterable[str] = ("sales_invoices", "documents", "bank", "settings")
                     ) -> dict:
        """A fresh consent without the browser round trip: the token endpoint's JSON answer."""
        with self.lock:
            return self.tokens.new_grant(list(scopes))

    # --- quota and faults ---------------------------------------------------------------------------
