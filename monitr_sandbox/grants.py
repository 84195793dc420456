"""What every emulated OAuth2 server keeps: authorization codes, grants (one per consent) and the
access tokens issued under them, as plain JSON-able dicts so the sandbox persists them and a
restarted emulator honours the tokens it issued. Each provider's store adds its own rules
(rotation, throttled refreshes, PKCE, realms, tenants)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class GrantStore:
    def __init__(self, data: dict[str, Any], *, clock: Callable[[], float],
                 access_ttl: Callable[[], int], on_change: Callable[[], None]):
        # data = {"codes": {code: {..., "used"}}, "grants": {id: {..., "revoked"}},
        #         "access_tokens": {token: {"grant", "issued_at", ...}}}
        self.data = data
        for key in ("codes", "grants", "access_tokens"):
            data.setdefault(key, {})
        self._clock, self._access_ttl, self._on_change = clock, access_ttl, on_change

    def revoke_all(self) -> None:
        """Every consent withdrawn; a code not yet exchanged is void too."""
        for grant in self.data["grants"].values():
            grant["revoked"] = True
        for record in self.data["codes"].values():
            record["used"] = True
        self._on_change()

    def expire_access_tokens(self) -> None:
        """Age every access token past its lifetime (refresh tokens keep working)."""
        aged = self._clock() - self._access_ttl() - 1
        for record in self.data["access_tokens"].values():
            record["issued_at"] = min(record["issued_at"], aged)
        self._on_change()
