"""OctopusSandbox: the sandbox user's Octopus login: its dossiers, tokens, daily budget and test
controls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from monitr_sandbox.controls import (
    AdministrationsThatDisappear,
    DayReplay,
    FaultsAndRequestLog,
    OAuthTokenControls,
)
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Entry, Ledger, Posting, add_entry, delete_entry
from monitr_sandbox.octopus.books import DossierBooks
from monitr_sandbox.octopus.dossiers import SANDBOX_DOSSIERS, Dossier, dossier
from monitr_sandbox.octopus.quota import DailyBudget
from monitr_sandbox.octopus.tokens import ACCESS_TOKEN_TTL, OctopusTokens
from monitr_sandbox.state import SandboxState

DAILY_CALLS = 1_000


class OctopusSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                     AdministrationsThatDisappear):
    """All state behind the emulator; public methods take `lock`, so tests may call them while
    the threaded server serves."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 daily_calls: int = DAILY_CALLS, access_token_ttl: int = ACCESS_TOKEN_TTL,
                 clock: Callable[[], float] | None = None):
        self.access_token_ttl = access_token_ttl
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = OctopusTokens(self._state.oauth, clock=lambda: self.clock(),
                                    access_ttl=lambda: self.access_token_ttl,
                                    on_change=self._state.save)
        self.budget = DailyBudget(daily_calls, lambda: self.clock())
        self.faults = FaultInjector()
        self._books: dict[int, DossierBooks] = {}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- dossiers ------------------------------------------------------------------------------
    @property
    def dossiers(self) -> list[Dossier]:
        gone = set(self._removed_administrations())
        return [d for d in SANDBOX_DOSSIERS if str(d.dossier_id) not in gone]

    def _administration_ids(self) -> set[str]:
        return {str(d.dossier_id) for d in SANDBOX_DOSSIERS}

    def books(self, dossier_id: int | str) -> DossierBooks:
        with self.lock:
            found = dossier(dossier_id)
            books = self._books.get(found.dossier_id)
            if books is None:
                books = self._books[found.dossier_id] = DossierBooks(found, self.clock())
                for day in range(1, self._state.day + 1):
                    books.apply_day(day, self.clock())
            return books

    def ledger(self, dossier_id: int | str) -> Ledger:
        return self.books(dossier_id).ledger

    # --- time moves on -------------------------------------------------------------------------
    def _replayed_books(self):
        return [_Stamped(books, self) for books in self._books.values()]

    def add_entry(self, dossier_id: int | str, *, on: date,
                  lines: Iterable[Posting | Mapping | tuple], description: str = "",
                  entry_type: str = "general") -> Entry:
        with self.lock:
            books = self.books(dossier_id)
            entry = add_entry(books.ledger, on=on, lines=lines, description=description,
                              entry_type=entry_type)
            books.touch(entry, self.clock())
            return entry

    def delete_entry(self, dossier_id: int | str, entry_number: int) -> Entry:
        """Deleted at Octopus: nothing tells a client but the booking missing from its year."""
        with self.lock:
            books = self.books(dossier_id)
            entry = delete_entry(books.ledger, entry_number)
            books.modified.pop(entry_number, None)
            return entry

    # --- tokens --------------------------------------------------------------------------------
    def issue_tokens(self) -> dict[str, Any]:
        """A fresh consent without the browser round trip: the token endpoint's JSON answer."""
        with self.lock:
            code = self.tokens.issue_code("urn:sandbox")
            return self.tokens.exchange_code(code, "urn:sandbox")

    def expire_dossier_tokens(self) -> None:
        """Every dossier token is past its 10 minutes; access tokens keep working."""
        with self.lock:
            self.tokens.expire_dossier_tokens()

    @property
    def daily_calls(self) -> int:
        return self.budget.calls_per_day

    @daily_calls.setter
    def daily_calls(self, value: int) -> None:
        with self.lock:
            self.budget.calls_per_day = value


class _Stamped:
    """A dossier's books as DayReplay applies a day to them: changes stamped with the clock."""

    def __init__(self, books: DossierBooks, sandbox: OctopusSandbox):
        self._books, self._sandbox = books, sandbox

    def apply_day(self, day: int) -> None:
        self._books.apply_day(day, self._sandbox.clock())
