"""What every emulated OAuth2 server keeps: authorization codes, grants (one per consent) and the
access tokens issued under them, as plain JSON-able dicts so the sandbox persists them and a
restarted emulator honours the tokens it issued. Codes follow one rule everywhere (single use,
short-lived, bound to their redirect URI and, with PKCE, to a verifier); each provider's store
says how long its codes live, how its token endpoint refuses one, and adds its own rules for
grants and tokens (rotation, throttled refreshes, realms, tenants)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Mapping
from typing import Any

# Long expired codes are forgotten (they would only be refused), keeping the state file small.
_EXPIRED_CODES_KEPT = 3600


def s256(verifier: str) -> str:
    """PKCE's S256 code challenge of a verifier (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class GrantStore:
    # How long an authorization code may wait for its exchange, in seconds.
    code_ttl: int = 300
    # The provider's token-endpoint refusal, raised as oauth_error("invalid_grant"[, description])
    # with the description of the reason ("unknown": never issued or already used, "expired",
    # "redirect_uri": another redirect URI than the consent's) when the provider words one.
    oauth_error: Callable[..., Exception]
    code_refusals: Mapping[str, str] = {}

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

    # --- authorization codes --------------------------------------------------------------------
    def new_code(self) -> str:
        """A fresh code as the provider writes them."""
        return secrets.token_hex(32)

    def issue_code(self, redirect_uri: str, **consent: Any) -> str:
        """A single-use code for a consent; `consent` (scopes, a realm, a PKCE `challenge` and its
        `method`) is what its grant is made of."""
        now = self._clock()
        self.data["codes"] = {code: record for code, record in self.data["codes"].items()
                              if now - record["issued_at"] <= self.code_ttl + _EXPIRED_CODES_KEPT}
        code = self.new_code()
        self.data["codes"][code] = {"redirect_uri": redirect_uri, **consent, "issued_at": now,
                                    "used": False}
        self._on_change()
        return code

    def exchange_code(self, code: str, redirect_uri: str | None,
                      verifier: str | None = None) -> dict[str, Any]:
        """The token endpoint's answer for a code: a new grant of the code's consent. The code is
        then used; a code unknown, used, expired, sent with another redirect URI or (PKCE)
        without its verifier is refused in the provider's words."""
        record = self.data["codes"].get(code)
        if record is None or record["used"]:
            raise self._code_refused("unknown")
        if self._clock() - record["issued_at"] > self.code_ttl:
            raise self._code_refused("expired")
        if redirect_uri != record["redirect_uri"]:
            raise self._code_refused("redirect_uri")
        challenge = record.get("challenge")
        if challenge is not None:
            proof = verifier if record.get("method") == "plain" else s256(verifier or "")
            if not verifier or proof != challenge:
                raise self._code_refused("verifier")
        record["used"] = True
        return self.grant_for(record)

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        """A new grant of a consent (a code's record) and the token endpoint's answer for it."""
        raise NotImplementedError

    def _code_refused(self, reason: str) -> Exception:
        description = self.code_refusals.get(reason)
        return (self.oauth_error("invalid_grant", description) if description
                else self.oauth_error("invalid_grant"))
