"""TwinfieldSandbox: one Twinfield organisation (a login): its offices, tokens, cluster and controls."""

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
from monitr_sandbox.ledger import Entry, Ledger, Line
from monitr_sandbox.state import SandboxState
from monitr_sandbox.twinfield.books import OfficeBooks, Transaction
from monitr_sandbox.twinfield.organisations import Office, Organisation, organisation_of
from monitr_sandbox.twinfield.tokens import ACCESS_TOKEN_TTL, TokenStore


class TwinfieldSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                       AdministrationsThatDisappear):
    """All state behind the login host and the organisation's cluster. Public methods take `lock`,
    so tests may call them while the threaded servers are serving."""

    def __init__(self, environment: str = "nl", state_path: Path | str | None = None, day: int = 0,
                 *, access_token_ttl: int = ACCESS_TOKEN_TTL,
                 clock: Callable[[], float] | None = None):
        self.environment = environment
        self.organisation: Organisation = organisation_of(environment)
        self.access_token_ttl = access_token_ttl
        self.clock: Callable[[], float] = clock or time.time  # tests may replace it
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = TokenStore(self._state.oauth, clock=lambda: self.clock(),
                                 access_ttl=lambda: self.access_token_ttl, on_change=self._state.save)
        # Where the organisation's cluster is served (set by serve_cluster or a test).
        self.cluster_url: str | None = None
        self._cluster_server: Any = None
        self._books: dict[str, OfficeBooks] = {}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- offices --------------------------------------------------------------------------------
    @property
    def offices(self) -> list[Office]:
        """The offices the login can see now."""
        gone = set(self._removed_administrations())
        return [o for o in self.organisation.offices if o.code not in gone]

    def _administration_ids(self) -> set[str]:
        return {o.code for o in self.organisation.offices}

    def office(self, code: str) -> Office:
        for office in self.organisation.offices:
            if office.code == code:
                return office
        raise KeyError(f"no office {code} in the {self.organisation.code} organisation")

    def books(self, code: str) -> OfficeBooks:
        with self.lock:
            books = self._books.get(code)
            if books is None:
                books = self._books[code] = OfficeBooks(self.office(code))
                for day in range(1, self._state.day + 1):
                    books.apply_day(day)
            return books

    def ledger(self, code: str) -> Ledger:
        return self.books(code).ledger

    # --- time moves on ---------------------------------------------------------------------------
    def _replayed_books(self):
        return self._books.values()

    def add_entry(self, office: str, **kwargs: Any) -> Transaction:
        with self.lock:
            return self.books(office).add_entry(**kwargs)

    def change_line(self, office: str, line_id: Any, **fields: Any) -> Line:
        with self.lock:
            return self.books(office).change_line(line_id, **fields)

    def delete_entry(self, office: str, entry_number: int) -> Entry:
        with self.lock:
            return self.books(office).delete_entry(entry_number)

    # --- OAuth ----------------------------------------------------------------------------------
    def issue_tokens(self, scopes: tuple[str, ...] = (
            "openid", "twf.user", "twf.organisation", "twf.organisationUser", "offline_access")
                     ) -> dict[str, Any]:
        """A fresh consent without the browser round trip: the token endpoint's JSON answer."""
        with self.lock:
            return self.tokens.new_grant(list(scopes))

    # --- the cluster ----------------------------------------------------------------------------
    def serve_cluster(self, port: int = 0) -> str:
        """Serve the organisation's cluster (its SOAP services) on its own port, once."""
        from monitr_sandbox.server import EmulatorServer
        from monitr_sandbox.twinfield.app import create_cluster_app

        with self.lock:
            if self._cluster_server is None:
                self._cluster_server = EmulatorServer(create_cluster_app(self), port).start()
                self.cluster_url = self._cluster_server.url
            return self.cluster_url

    def close(self) -> None:
        with self.lock:
            server, self._cluster_server = self._cluster_server, None
        if server is not None:
            server.stop()
