"""HubSpotSandbox: every sandbox portal's deals and pipelines, the OAuth grants, rate limits,
the search result cap and the test controls behind the emulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from monitr_sandbox.controls import DayReplay, FaultsAndRequestLog, OAuthTokenControls
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.hubspot.deals import DealBook
from monitr_sandbox.hubspot.portals import PORTALS, Portal, portal
from monitr_sandbox.hubspot.ratelimit import SEARCH_SECONDLY, TEN_SECONDLY, RateLimits
from monitr_sandbox.hubspot.tokens import ACCESS_TOKEN_TTL, HubSpotGrants
from monitr_sandbox.state import SandboxState

# "The search endpoints return at most 10,000 results for any given query."
SEARCH_RESULT_CAP = 10_000


class HubSpotSandbox(DayReplay, FaultsAndRequestLog, OAuthTokenControls):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while
    the threaded server is serving."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 ten_secondly: int = TEN_SECONDLY, search_secondly: int = SEARCH_SECONDLY,
                 search_cap: int = SEARCH_RESULT_CAP, access_token_ttl: int = ACCESS_TOKEN_TTL,
                 clock: Callable[[], float] | None = None):
        self.access_token_ttl = access_token_ttl
        self.search_cap = search_cap
        self.clock: Callable[[], float] = clock or time.time
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        self.tokens = HubSpotGrants(self._state.oauth, clock=lambda: self.clock(),
                                    access_ttl=lambda: self.access_token_ttl,
                                    on_change=self._state.save)
        self.rate_limits = RateLimits(ten_secondly, search_secondly, lambda: self.clock())
        self._books = {p.hub_id: DealBook(p) for p in PORTALS}
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    @property
    def portals(self) -> tuple[Portal, ...]:
        return PORTALS

    def portal(self, hub_id: int | str) -> Portal:
        return portal(hub_id)

    def book(self, hub_id: int | str) -> DealBook:
        return self._books[self.portal(hub_id).hub_id]

    def _replayed_books(self):
        return self._books.values()

    def issue_tokens(self, hub_id: int, scopes: tuple[str, ...] = ("crm.objects.deals.read",)
                     ) -> dict:
        """A fresh install of the app in a portal, without the browser round trip."""
        with self.lock:
            found = self.portal(hub_id)
            code = self.tokens.issue_code("urn:sandbox", scopes=list(scopes), hub_id=found.hub_id,
                                          user=f"admin@{found.environment}.example")
            return self.tokens.exchange_code(code, "urn:sandbox")
