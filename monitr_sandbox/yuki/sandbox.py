"""YukiSandbox: one domain (one access key) with its administrations, sessions, daily call
budget, faults and test controls."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from monitr_sandbox.controls import AdministrationsThatDisappear, DayReplay, FaultsAndRequestLog
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Entry, Ledger, Line
from monitr_sandbox.state import SandboxState
from monitr_sandbox.yuki.books import AdministrationBooks
from monitr_sandbox.yuki.domains import Domain, YukiAdministration, domain_of
from monitr_sandbox.yuki.soap import SoapFault

DAILY_CALL_LIMIT = 1000  # Yuki's default per domain (API_FACTS.md section 6)
SESSION_TTL_SECONDS = 24 * 3600  # "sessions last ~24 h"
_ZONE = ZoneInfo("Europe/Amsterdam")

BAD_KEY = "Invalid access key. Check the WebServiceAccessKey of the user."
BAD_SESSION = "Invalid or expired session ID. Authenticate again to get a new session ID."


def no_access(administration_id: str) -> str:
    return f"No access to administration {administration_id}."


def budget_spent(limit: int) -> str:
    return (f"The maximum number of calls per day ({limit}) for this domain has been reached. "
            "Try again tomorrow.")


class YukiSandbox(DayReplay, FaultsAndRequestLog, AdministrationsThatDisappear):
    """All state behind one environment's Yuki host. Public methods take `lock`, so tests may call
    them while the threaded server answers requests."""

    def __init__(self, environment: str = "nl", state_path: Path | str | None = None, day: int = 0,
                 *, daily_call_limit: int = DAILY_CALL_LIMIT,
                 session_ttl: int = SESSION_TTL_SECONDS,
                 clock: Callable[[], float] | None = None):
        self.environment = environment
        self.domain: Domain = domain_of(environment)
        self.daily_call_limit = daily_call_limit
        self.session_ttl = session_ttl
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        self._yuki = self._state.data.setdefault("yuki", {"access_keys": {}, "calls": {}})
        if self.access_key is None:
            self.issue_api_key()  # the key the sandbox user created under Webservices
        self._sessions: dict[str, float] = {}  # session id -> when it expires
        self._sessions_left: int | None = None
        self._books: dict[str, AdministrationBooks] = {}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- administrations ----------------------------------------------------------------------
    @property
    def administrations(self) -> list[YukiAdministration]:
        gone = set(self._removed_administrations())
        return [a for a in self.domain.administrations if a.id not in gone]

    def _administration_ids(self) -> set[str]:
        return {a.id for a in self.domain.administrations}

    def administration(self, administration_id: str) -> YukiAdministration:
        for administration in self.domain.administrations:
            if administration.id == administration_id:
                return administration
        raise KeyError(f"no administration {administration_id} in {self.domain.name}")

    def books(self, administration_id: str) -> AdministrationBooks:
        with self.lock:
            books = self._books.get(administration_id)
            if books is None:
                books = AdministrationBooks(self.administration(administration_id))
                for day in range(1, self._state.day + 1):
                    books.apply_day(day)
                self._books[administration_id] = books
            return books

    def ledger(self, administration_id: str) -> Ledger:
        return self.books(administration_id).ledger

    def _replayed_books(self):
        return self._books.values()

    # A bookkeeper's edits (in memory; a restart replays the days only) ---------------------------
    def add_entry(self, administration_id: str, **booking: Any) -> Entry:
        with self.lock:
            return self.books(administration_id).add_entry(**booking)

    def change_line(self, administration_id: str, line_id: Any, **fields: Any) -> Line:
        with self.lock:
            return self.books(administration_id).change_line(line_id, **fields)

    def delete_entry(self, administration_id: str, entry_number: int) -> Entry:
        with self.lock:
            return self.books(administration_id).delete_entry(entry_number)

    # --- the access key and sessions --------------------------------------------------------------
    @property
    def access_key(self) -> str | None:
        """The WebServiceAccessKey the sandbox user would paste into Monitr (None once revoked)."""
        with self.lock:
            live = [k for k, revoked in self._yuki["access_keys"].items() if not revoked]
            return live[-1] if live else None

    def issue_api_key(self) -> str:
        with self.lock:
            key = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
            self._yuki["access_keys"][key] = False
            self._state.save()
            return key

    def revoke_api_key(self) -> None:
        """The user deleted the access key in Yuki: it and its sessions stop working."""
        with self.lock:
            for key in self._yuki["access_keys"]:
                self._yuki["access_keys"][key] = True
            self._sessions.clear()
            self._state.save()

    def authenticate(self, access_key: str) -> str:
        with self.lock:
            if self._yuki["access_keys"].get(access_key) is not False:
                raise SoapFault(BAD_KEY)
            session_id = str(uuid.uuid4())
            self._sessions[session_id] = self.clock() + self.session_ttl
            return session_id

    def session_valid(self, session_id: str | None) -> bool:
        with self.lock:
            expires = self._sessions.get(session_id or "")
            return expires is not None and self.clock() < expires

    def expire_sessions(self) -> None:
        with self.lock:
            self._sessions.clear()

    def expire_access_tokens(self) -> None:
        """`monitr sandbox control yuki expire-tokens`: Yuki's tokens are its session ids."""
        self.expire_sessions()

    def expire_sessions_after(self, calls: int) -> None:
        """Every open session goes stale once `calls` more calls have been answered."""
        with self.lock:
            self._sessions_left = calls

    # --- the daily call budget --------------------------------------------------------------------
    def today(self) -> date:
        return datetime.fromtimestamp(self.clock(), _ZONE).date()

    @property
    def calls_today(self) -> int:
        with self.lock:
            return self._yuki["calls"].get(self.today().isoformat(), 0)

    def count_call(self) -> None:
        """Count one call against the domain's budget of the day; refused once it is spent
        (refused calls do not count)."""
        with self.lock:
            today = self.today().isoformat()
            spent = self._yuki["calls"].get(today, 0)
            if spent >= self.daily_call_limit:
                raise SoapFault(budget_spent(self.daily_call_limit))
            self._yuki["calls"] = {today: spent + 1}  # earlier days are forgotten
            self._state.save()
            if self._sessions_left is not None:
                self._sessions_left -= 1
                if self._sessions_left < 0:
                    self._sessions_left = None
                    self._sessions.clear()
