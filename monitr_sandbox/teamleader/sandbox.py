"""TeamleaderSandbox: the account's records, the OAuth grants, the rate limit and the test
controls behind the emulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from monitr_sandbox.controls import DayReplay, FaultsAndRequestLog, OAuthTokenControls
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.state import SandboxState
from monitr_sandbox.teamleader.account import DEPARTMENTS, USER_ID
from monitr_sandbox.teamleader.book import Book, moment_of_day
from monitr_sandbox.teamleader.ratelimit import LIMIT_PER_MINUTE, SlidingMinute
from monitr_sandbox.teamleader.tokens import ACCESS_TOKEN_TTL, TeamleaderGrants


class TeamleaderSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls):
    """All state behind the emulator; public methods take `lock`."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 per_minute: int = LIMIT_PER_MINUTE, access_token_ttl: int = ACCESS_TOKEN_TTL,
                 clock: Callable[[], float] | None = None):
        self.access_token_ttl = access_token_ttl
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = TeamleaderGrants(self._state.oauth, clock=lambda: self.clock(),
                                       access_ttl=lambda: self.access_token_ttl,
                                       on_change=self._state.save)
        self.rate_limit = SlidingMinute(per_minute, lambda: self.clock())
        self.book = Book.generated()
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    departments = DEPARTMENTS

    def _replayed_books(self):
        return (self.book,)

    @property
    def now(self):
        """The account's clock: noon UTC of the sandbox day (the Date its answers carry)."""
        return moment_of_day(self.day)

    def issue_tokens(self) -> dict:
        """A fresh consent of the account's admin, without the browser round trip."""
        with self.lock:
            code = self.tokens.issue_code("urn:sandbox", user=USER_ID)
            return self.tokens.exchange_code(code, "urn:sandbox")
