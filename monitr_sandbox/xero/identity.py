"""Xero's identity service as emulated: consent with PKCE, 30-minute access tokens, rotating refresh
tokens with a 30-minute grace period, and the tenant connections each consent created.

Rules (API_FACTS.md section 3; Xero's official reply in community thread 105714701): an unused
refresh token expires after 30 days; every refresh returns a new refresh token; the previous one
may be retried for 30 minutes (a lost response must not end the connection), after that it
answers invalid_grant. Token endpoint errors are `{"error": "..."}` only, as Xero sends them.
State is plain JSON-able dicts, so a restarted emulator honours the tokens it issued.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 1800
AUTH_CODE_TTL = 300
REFRESH_GRACE = 1800
REFRESH_TOKEN_TTL = 30 * 24 * 3600
ISSUER = "https://identity.xero.com"


class IdentityError(Exception):
    """A token-endpoint refusal, rendered as `{"error": ...}`."""

    def __init__(self, error: str, status: int = 400):
        super().__init__(error)
        self.error, self.status = error, status


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class IdentityService(GrantStore):
    code_ttl = AUTH_CODE_TTL
    oauth_error = IdentityError  # Xero sends the bare error, whatever was wrong with the code

    def __init__(self, data: dict[str, Any], *, clock: Callable[[], float],
                 tenant_ids: Callable[[], list[str]], on_change: Callable[[], None],
                 access_token_ttl: Callable[[], int]):
        super().__init__(data, clock=clock, access_ttl=access_token_ttl, on_change=on_change)
        self._tenant_ids = tenant_ids

    # --- consent ---------------------------------------------------------------------------------
    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = str(uuid.uuid4())
        now = self._clock()
        # Consent connects every organisation of the login (the sandbox user ticks them all).
        self.data["grants"][grant_id] = {
            "scopes": consent["scopes"], "auth_event_id": str(uuid.uuid4()), "created_at": now,
            "tenants": {tenant_id: str(uuid.uuid4()) for tenant_id in self._tenant_ids()},
            "refresh_token": None, "refresh_issued_at": now, "previous": {}, "revoked": False,
        }
        return self._issue(grant_id)

    # --- tokens ------------------------------------------------------------------------------------
    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        if grant["refresh_token"]:
            grant["previous"][grant["refresh_token"]] = now  # rotated now; usable for the grace
        grant["previous"] = {t: at for t, at in grant["previous"].items() if now - at <= REFRESH_GRACE}
        access = self._jwt(grant_id, grant, now)
        self.data["access_tokens"] = {t: r for t, r in self.data["access_tokens"].items()
                                      if now - r["issued_at"] <= self._access_ttl() + 3600}
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        body: dict[str, Any] = {"access_token": access, "expires_in": self._access_ttl(),
                                "token_type": "Bearer", "scope": " ".join(grant["scopes"])}
        if "offline_access" in grant["scopes"]:  # no refresh token without offline_access
            grant["refresh_token"] = secrets.token_hex(32)
            grant["refresh_issued_at"] = now
            body["refresh_token"] = grant["refresh_token"]
        if "openid" in grant["scopes"]:
            body["id_token"] = self._jwt(grant_id, grant, now, id_token=True)
        self._on_change()
        return body

    def _jwt(self, grant_id: str, grant: dict[str, Any], now: float, id_token: bool = False) -> str:
        # Shaped like Xero's RS256 JWTs; the signature is random (clients treat tokens as opaque).
        claims = {"nbf": int(now), "exp": int(now) + self._access_ttl(), "iss": ISSUER,
                  "jti": secrets.token_hex(16), "authentication_event_id": grant["auth_event_id"],
                  "xero_userid": str(uuid.uuid5(uuid.NAMESPACE_URL, "xero-sandbox-user")),
                  "grant_id": grant_id}
        if not id_token:
            claims.update(aud=f"{ISSUER}/resources", scope=grant["scopes"])
        parts = ({"alg": "RS256", "kid": "sandbox", "typ": "JWT"}, claims)
        return ".".join([*(_b64url(json.dumps(p).encode()) for p in parts),
                         _b64url(secrets.token_bytes(32))])

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        now = self._clock()
        for grant_id, grant in self.data["grants"].items():
            if refresh_token == grant["refresh_token"]:
                if now - grant["refresh_issued_at"] > REFRESH_TOKEN_TTL:
                    raise IdentityError("invalid_grant")
            elif now - grant["previous"].get(refresh_token, float("-inf")) > REFRESH_GRACE:
                continue
            if grant["revoked"]:
                raise IdentityError("invalid_grant")
            return self._issue(grant_id)
        raise IdentityError("invalid_grant")

    def grant_of(self, access_token: str) -> dict[str, Any] | None:
        """The live grant behind an access token, or None (unknown, expired or revoked)."""
        record = self.data["access_tokens"].get(access_token)
        if record is None:
            return None
        grant = self.data["grants"][record["grant"]]
        if grant["revoked"] or self._clock() - record["issued_at"] >= self._access_ttl():
            return None
        return grant

    def expired_at(self, access_token: str) -> float | None:
        """When a known access token expired (for Xero's "TokenExpired" detail)."""
        record = self.data["access_tokens"].get(access_token)
        return None if record is None else record["issued_at"] + self._access_ttl()

    # --- controls --------------------------------------------------------------------------------
    def disconnect(self, tenant_id: str, grant: dict[str, Any] | None = None) -> None:
        """The app's connection to an organisation goes: one consent's (DELETE /connections) or,
        without a grant, every consent's."""
        for grant in [grant] if grant is not None else self.data["grants"].values():
            grant["tenants"].pop(tenant_id, None)
        self._on_change()

    def reconnect(self, tenant_id: str) -> None:
        """Every live consent connects the organisation again (a new connection id)."""
        for grant in self.data["grants"].values():
            if not grant["revoked"]:
                grant["tenants"].setdefault(tenant_id, str(uuid.uuid4()))
        self._on_change()
