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
import uuid
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


class TokenEndpointError(Exception):
    """A token endpoint's refusal in RFC 6749's words: {"error", "error_description"}."""

    def __init__(self, error: str, description: str | None = None, status: int = 400):
        super().__init__(error)
        self.error, self.description, self.status = error, description, status

    def body(self) -> dict[str, str]:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


class RotatingGrantStore(GrantStore):
    """Grants whose refresh token is single use, as rotating OAuth servers keep them: each
    refresh answers a new access token and a new refresh token, and the old one is refused from
    then on (invalid_grant); access tokens live `access_ttl`. A provider says what a grant keeps
    of its consent (grant_fields), how its tokens look and how it words a refused refresh."""

    oauth_error = TokenEndpointError
    # reason ("revoked": the consent was withdrawn, "unknown": never issued or already used) ->
    # the description of the refusal; none when the provider gives none.
    refresh_refusals: Mapping[str, str] = {}

    def grant_fields(self, consent: dict[str, Any]) -> dict[str, Any]:
        return {"user": consent["user"], "scopes": consent["scopes"]}

    def new_token(self) -> str:
        return secrets.token_hex(32)

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = str(uuid.uuid4())
        self.data["grants"][grant_id] = {**self.grant_fields(consent), "refresh_token": None,
                                         "revoked": False}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        access = self.new_token()
        # Tokens long past their life are forgotten (they would only be refused).
        self.data["access_tokens"] = {t: r for t, r in self.data["access_tokens"].items()
                                      if now - r["issued_at"] <= self._access_ttl() + 3600}
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        grant["refresh_token"] = self.new_token()
        self._on_change()
        return {"token_type": "Bearer", "expires_in": self._access_ttl(),
                "access_token": access, "refresh_token": grant["refresh_token"],
                "scope": " ".join(grant["scopes"])}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token:
                if grant["revoked"]:
                    raise self._refresh_refused("revoked")
                return self._issue(grant_id)
        raise self._refresh_refused("unknown")

    def grant_of(self, access_token: str) -> dict[str, Any] | None:
        """The live grant behind an access token, or None (unknown, expired or revoked)."""
        record = self.data["access_tokens"].get(access_token)
        if record is None:
            return None
        grant = self.data["grants"][record["grant"]]
        if grant["revoked"] or self._clock() - record["issued_at"] >= self._access_ttl():
            return None
        return grant

    def _refresh_refused(self, reason: str) -> Exception:
        description = self.refresh_refusals.get(reason)
        return (self.oauth_error("invalid_grant", description) if description
                else self.oauth_error("invalid_grant"))
