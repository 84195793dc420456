"""Minox's OAuth2 server as emulated: authorization codes, one-hour access tokens and refresh
tokens, each grant given by a subscription's main user (so bound to one client number).

Token endpoint errors are RFC 6749's `{"error", "error_description"}`. Assumption (Minox's own
docs were not found): a refresh answers a new refresh token and the old one is then refused
(invalid_grant), as rotating OAuth servers do; the engine persists every rotation.
"""

from __future__ import annotations

import secrets
from typing import Any

from monitr_sandbox.grants import RotatingGrantStore, TokenEndpointError

ACCESS_TOKEN_TTL = 3600  # "access token about 1 h" (API_FACTS.md section 10)


# Minox's token endpoint refuses in RFC 6749's words.
OAuthError = TokenEndpointError


class MinoxGrants(RotatingGrantStore):
    code_ttl = 600
    code_refusals = {"unknown": "Authorization code is invalid or has been used.",
                     "expired": "Authorization code has expired.",
                     "redirect_uri": "Redirect URI does not match the authorization request."}
    refresh_refusals = {"revoked": "The refresh token has been revoked.",
                        "unknown": "The refresh token is invalid."}

    def grant_fields(self, consent: dict[str, Any]) -> dict[str, Any]:
        # Given by a subscription's main user: bound to its client number.
        return {"client_number": consent["client_number"], "user": consent["user"],
                "scopes": consent["scopes"]}

    def new_token(self) -> str:
        return secrets.token_urlsafe(40)

    def introspect(self, access_token: str) -> dict[str, Any]:
        """RFC 7662's answer for a token, with the subscription it was granted for."""
        grant = self.grant_of(access_token)
        if grant is None:
            return {"active": False}
        record = self.data["access_tokens"][access_token]
        return {"active": True, "scope": " ".join(grant["scopes"]), "token_type": "Bearer",
                "exp": int(record["issued_at"] + self._access_ttl()),
                "iat": int(record["issued_at"]), "username": grant["user"],
                "client_number": grant["client_number"]}
