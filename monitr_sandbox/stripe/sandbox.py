"""StripeSandbox: the platform and its connected accounts, the secret key, the clock, the rate
limit, faults and the test controls."""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from monitr_sandbox.controls import FaultsAndRequestLog
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.state import SandboxState
from monitr_sandbox.stripe.catalog import ACCOUNTS, PLATFORM
from monitr_sandbox.stripe.world import AccountWorld, now_at

# Stripe's test mode allows 25 read requests a second (docs.stripe.com/rate-limits).
DEFAULT_REQUESTS_PER_SECOND = 25


class StripeSandbox(FaultsAndRequestLog):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while the
    threaded server answers requests."""

    def __init__(self, state_path: Path | str | None = None, day: int = 0, *,
                 requests_per_second: int = DEFAULT_REQUESTS_PER_SECOND,
                 clock: Callable[[], float] | None = None):
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.versions_seen: set[str | None] = set()  # Stripe-Version headers sent (for tests)
        self.faults = FaultInjector()
        self.requests_per_second = requests_per_second
        self.wall_clock: Callable[[], float] = clock or time.time
        self._recent: deque[float] = deque()
        self._state = SandboxState(Path(state_path) if state_path else None)
        keys = self._state.data.setdefault("stripe", {"keys": {}, "expired": [],
                                                      "disconnected": []})
        self._keys = keys
        if not keys["keys"]:
            self._issue_key()
        self.worlds = {profile.account_id: AccountWorld(profile) for profile in ACCOUNTS}
        # Replay to the later of the requested and the stored day: a restart never goes back.
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- the clock --------------------------------------------------------------------------------
    @property
    def day(self) -> int:
        return self._state.day

    def now(self) -> int:
        """The emulator's time (unix seconds): what its Date header and new objects say."""
        return now_at(self._state.day)

    def advance_to_day(self, day: int) -> None:
        with self.lock:
            if day < self._state.day:
                raise ValueError(f"the sandbox is at day {self._state.day}; "
                                 f"it cannot go back to {day}")
            self._state.day = day
            for world in self.worlds.values():
                world.advance(self.now())
            self._state.save()

    # --- accounts ---------------------------------------------------------------------------------
    @property
    def platform(self) -> AccountWorld:
        return self.worlds[PLATFORM.account_id]

    def connected(self) -> list[AccountWorld]:
        """The platform's connected accounts it can still reach, in the order they joined."""
        with self.lock:
            return [w for key, w in self.worlds.items()
                    if key != PLATFORM.account_id and key not in self._keys["disconnected"]]

    def world(self, account_id: str) -> AccountWorld:
        return self.worlds[account_id]

    def remove_administration(self, account_id: str) -> None:
        """The connected account disconnects from the platform."""
        with self.lock:
            if account_id not in self.worlds or account_id == PLATFORM.account_id:
                raise KeyError(f"no connected account {account_id}")
            self._keys["disconnected"].append(account_id)
            self._state.save()

    def restore_administration(self, account_id: str) -> None:
        with self.lock:
            if account_id in self._keys["disconnected"]:
                self._keys["disconnected"].remove(account_id)
            self._state.save()

    # --- what happens at the accounts (test controls), at the emulator's time -------------------
    def cancel_subscription(self, account_id: str, subscription_id: str, *,
                            at_period_end: bool) -> dict:
        with self.lock:
            return self.world(account_id).cancel(subscription_id, self.now(),
                                                 at_period_end=at_period_end)

    def delete_customer(self, account_id: str, customer_id: str) -> None:
        with self.lock:
            self.world(account_id).delete_customer(customer_id, self.now())

    def add_item(self, account_id: str, subscription_id: str, price_id: str,
                 quantity: int) -> dict:
        with self.lock:
            return self.world(account_id).add_item(subscription_id, price_id, quantity,
                                                   self.now())

    # --- keys -------------------------------------------------------------------------------------
    @property
    def api_key(self) -> str | None:
        """The platform's secret key the sandbox user would paste into Monitr (None once
        deleted)."""
        with self.lock:
            return next((key for key, account in self._keys["keys"].items()
                         if account == PLATFORM.account_id), None)

    def _issue_key(self, account_id: str = PLATFORM.account_id) -> str:
        key = f"sk_test_{secrets.token_urlsafe(24)}"
        self._keys["keys"][key] = account_id
        self._state.save()
        return key

    def issue_api_key(self, account_id: str = PLATFORM.account_id) -> str:
        """A secret key of the platform, or of one account itself (its own Dashboard's key)."""
        with self.lock:
            if account_id not in self.worlds:
                raise KeyError(f"no account {account_id}")
            return self._issue_key(account_id)

    def roll_api_key(self) -> str:
        """The user rolls the key: the old one is expired at once, a new one works."""
        with self.lock:
            self._keys["expired"].extend(self._keys["keys"])
            self._keys["keys"].clear()
            return self._issue_key()

    def revoke_api_key(self) -> None:
        with self.lock:
            self._keys["keys"].clear()
            self._state.save()

    def key_account(self, key: str) -> str | None:
        with self.lock:
            return self._keys["keys"].get(key)

    def key_expired(self, key: str) -> bool:
        with self.lock:
            return key in self._keys["expired"]

    def reachable(self, account_id: str) -> bool:
        with self.lock:
            return account_id in self.worlds and account_id not in self._keys["disconnected"]

    # --- rate limit -------------------------------------------------------------------------------
    def allow_request(self) -> bool:
        """A sliding one-second window of requests; refused requests do not count."""
        with self.lock:
            moment = self.wall_clock()
            while self._recent and self._recent[0] <= moment - 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.requests_per_second:
                return False
            self._recent.append(moment)
            return True
