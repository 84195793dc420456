"""ExactSandbox: one Exact login (environment) with its divisions, tokens, quotas and test controls."""

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
from monitr_sandbox.exact_online.environments import Division, divisions_of
from monitr_sandbox.exact_online.feed import DivisionFeed
from monitr_sandbox.exact_online.ratelimit import RateLimiter
from monitr_sandbox.exact_online.tokens import TokenStore
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Entry, Ledger, Line, Posting, Relation
from monitr_sandbox.state import SandboxState


class ExactSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls,
                   AdministrationsThatDisappear):
    """All state behind the emulator. Every public method takes `lock`, so tests may call them
    while a threaded server is serving requests."""

    def __init__(self, environment: str = "nl", state_path: Path | str | None = None, day: int = 0,
                 access_token_ttl: int = 600, minutely_limit: int = 60, daily_limit: int = 5000,
                 clock: Callable[[], float] | None = None):
        self.environment = environment
        self.access_token_ttl = access_token_ttl
        # Seconds since the epoch; tests may replace it (sandbox.clock = lambda: ...).
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self._all_divisions = divisions_of(environment)
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = TokenStore(self._state.oauth, clock=lambda: self.clock(),
                                 access_ttl=lambda: self.access_token_ttl, on_change=self._state.save)
        self.rate_limiter = RateLimiter(minutely_limit, daily_limit, lambda: self.clock())
        self.faults = FaultInjector()
        # Feeds are generated on first use and replayed to the current day: deterministic either way.
        self._feeds: dict[int, DivisionFeed] = {}
        # Replay to the later of the requested and the stored day: a restart never goes back.
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- divisions ------------------------------------------------------------------------------
    @property
    def divisions(self) -> list[Division]:
        """The divisions this login can see now."""
        with self.lock:
            removed = set(self._removed_administrations())
            return [d for d in self._all_divisions if str(d.code) not in removed]

    def can_access(self, division: int) -> bool:
        return self.administration_visible(division)

    def current_division(self) -> int:
        """Me.CurrentDivision: the first visible division (the first one, if none is left)."""
        visible = self.divisions
        return (visible or self._all_divisions)[0].code

    def _administration_ids(self) -> set[str]:
        return {str(d.code) for d in self._all_divisions}

    def division(self, code: int) -> Division:
        """Any division of the environment, visible or removed."""
        for division in self._all_divisions:
            if division.code == int(code):
                return division
        raise KeyError(f"no division {code} in sandbox environment {self.environment!r}")

    def _feed(self, code: int) -> DivisionFeed:
        with self.lock:
            feed = self._feeds.get(int(code))
            if feed is None:
                division = next((d for d in self._all_divisions if d.code == int(code)), None)
                if division is None:
                    raise KeyError(f"no division {code} in sandbox environment {self.environment!r}")
                feed = self._feeds[division.code] = DivisionFeed(division)
                for day in range(1, self._state.day + 1):
                    feed.apply_day(day)
            return feed

    def feed(self, code: int) -> DivisionFeed:
        return self._feed(code)

    def ledger(self, division_code: int) -> Ledger:
        return self._feed(division_code).ledger

    # --- time moves on ----------------------------------------------------------------------------
    def _replayed_books(self):
        return self._feeds.values()

    def add_entry(self, division: int, *, date: date, lines: Iterable[Posting | Mapping | tuple],
                  description: str = "", entry_type: str = "general", journal_code: str | None = None,
                  relation: Relation | str | None = None) -> Entry:
        """Book an entry now (Timestamps after everything served so far); lines are
        (account_code, amount) tuples, dicts of Posting fields, or Postings."""
        with self.lock:
            return self._feed(division).add_entry(on=date, lines=lines, description=description,
                                                  entry_type=entry_type, journal_code=journal_code,
                                                  relation=relation)

    def change_line(self, division: int, line_id: UUID | str, **fields) -> Line:
        with self.lock:
            return self._feed(division).change_line(line_id, **fields)

    def delete_entry(self, division: int, entry_number: int) -> Entry:
        with self.lock:
            return self._feed(division).delete_entry(entry_number)

    # --- OAuth controls -------------------------------------------------------------------------
    def issue_tokens(self) -> dict[str, str]:
        """A fresh consent without the browser round trip: the token endpoint's JSON answer."""
        with self.lock:
            return self.tokens.new_grant()

    # --- quotas and faults ----------------------------------------------------------------------
    @property
    def minutely_limit(self) -> int:
        return self.rate_limiter.minutely_limit

    @property
    def daily_limit(self) -> int:
        return self.rate_limiter.daily_limit

