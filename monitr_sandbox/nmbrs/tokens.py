"""Nmbrs' identity service (IdentityServer) as emulated: authorization codes, one-hour access
tokens (assumed; not published) and refresh tokens that are single use (IdentityServer's
default OneTimeOnly: each refresh answers a new one and the old one is then refused). Token
endpoint errors are RFC 6749's {"error", "error_description"}."""

from __future__ import annotations

from monitr_sandbox.grants import RotatingGrantStore, TokenEndpointError

ACCESS_TOKEN_TTL = 3600


# The identity service refuses in RFC 6749's words (no descriptions for refused refreshes).
OAuthError = TokenEndpointError


class NmbrsGrants(RotatingGrantStore):
    code_ttl = 300
