"""OAuth2 bearer auth for dlt's REST client: refreshes with requests-oauthlib, persists every rotation."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import requests
from oauthlib.oauth2 import InvalidGrantError, OAuth2Error, WebApplicationClient
from requests_oauthlib import OAuth2Session

from monitr_pipeline.ingestion.credentials import CredentialStore, ReconnectRequired

# Refresh this long before expiry. Exact refuses a refresh while the token is younger than ~570 s
# of its 600, so refreshing in the last 30 s is both early enough and allowed.
REFRESH_MARGIN_SECONDS = 30


def _silence_token_logging() -> None:
    # requests-oauthlib and oauthlib log request bodies (refresh tokens, client secrets) at DEBUG.
    for name in ("requests_oauthlib", "oauthlib"):
        logging.getLogger(name).setLevel(logging.WARNING)


def allow_loopback_http(url: str) -> None:
    """oauthlib refuses http://; the sandbox emulators are plain HTTP on loopback only."""
    if urlparse(url).hostname in ("127.0.0.1", "localhost", "::1"):
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def normalise_token(token: dict[str, Any]) -> dict[str, Any]:
    """Exact sends expires_in as a string; keep an absolute expires_at we can compare against."""
    token = dict(token)
    if "expires_at" not in token and token.get("expires_in") is not None:
        token["expires_at"] = time.time() + float(token["expires_in"])
    # No expiry given (Moneybird): the token does not expire; a 401 still forces one refresh.
    token["expires_at"] = float(token.get("expires_at") or 253402300799)
    return token


def new_pkce_pair() -> tuple[str, str]:
    """A fresh PKCE code verifier and its S256 challenge (RFC 7636) for one consent (Xero)."""
    client = WebApplicationClient(None)
    verifier = client.create_code_verifier(length=64)
    return verifier, client.create_code_challenge(verifier, "S256")


class OAuth2Client:
    """The token endpoint of one provider app (client id/secret) for the flows we need."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, *,
                 basic_auth: bool = False):
        _silence_token_logging()
        allow_loopback_http(token_url)
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        # Xero and QuickBooks want the client credentials as HTTP Basic; Exact wants them in the body.
        self._basic_auth = basic_auth

    def _auth_kwargs(self) -> dict[str, Any]:
        if self._basic_auth:
            return {"auth": requests.auth.HTTPBasicAuth(self.client_id, self._client_secret)}
        return {"client_id": self.client_id, "client_secret": self._client_secret}

    def authorization_url(self, authorize_url: str, redirect_uri: str, scopes: tuple[str, ...] = (),
                          state: str | None = None, **extra: Any) -> tuple[str, str]:
        allow_loopback_http(authorize_url)
        session = OAuth2Session(self.client_id, redirect_uri=redirect_uri, scope=list(scopes) or None,
                                state=state)
        return session.authorization_url(authorize_url, **extra)

    def exchange_code(self, authorization_response: str, redirect_uri: str, state: str,
                      **extra: Any) -> dict[str, Any]:
        """Exchange the callback URL's code for tokens; oauthlib rejects a mismatched state."""
        session = OAuth2Session(self.client_id, redirect_uri=redirect_uri, state=state)
        kwargs = self._auth_kwargs()
        if not self._basic_auth:
            kwargs["include_client_id"] = True
        token = session.fetch_token(self.token_url, authorization_response=authorization_response,
                                    **kwargs, **extra)
        return normalise_token(token)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        session = OAuth2Session(self.client_id)
        token = session.refresh_token(self.token_url, refresh_token=refresh_token,
                                      **self._auth_kwargs())
        return normalise_token(token)


class RefreshingBearerAuth(requests.auth.AuthBase):
    """Adds a bearer token that is refreshed under the integration's lock and saved right away.

    Two runs of entities sharing one integration may both find the token expired. The lock makes the
    second one wait; it then re-reads the store and finds the first one's new token instead of
    spending the single-use refresh token a second time ("Old refresh token used").
    """

    def __init__(self, store: CredentialStore, oauth: OAuth2Client,
                 app_headers: Mapping[str, str] | None = None):
        self._store = store
        self._oauth = oauth
        # Our app's own headers (OAuth2Spec.app_headers), sent beside the token on every call.
        self._app_headers = dict(app_headers or {})
        self._token: dict[str, Any] | None = None
        self._local_lock = threading.Lock()

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self._app_headers)
        request.headers["Authorization"] = f"Bearer {self.access_token()}"
        request.register_hook("response", self._retry_once_after_refresh)
        return request

    def _retry_once_after_refresh(self, response: requests.Response, **kwargs: Any
                                  ) -> requests.Response:
        """A 401 on a token we thought valid: it was revoked or expired early. Refresh once (a
        refused refresh means the consent is gone) and resend; never retry a 401 blindly, as
        Exact blocks a client after 10 errors an hour."""
        if response.status_code != 401 or getattr(response.request, "_monitr_refreshed", False):
            return response
        rejected = response.request.headers.get("Authorization", "").removeprefix("Bearer ")
        with self._local_lock:
            self._token = self._current_or_refreshed(rejected=rejected)
        retry = response.request.copy()
        retry._monitr_refreshed = True  # type: ignore[attr-defined]
        retry.headers["Authorization"] = f"Bearer {self._token['access_token']}"
        response.content  # noqa: B018 - release the connection before reusing it
        response.close()
        new_response = response.connection.send(retry, **kwargs)
        new_response.history.append(response)
        new_response.request = retry
        return new_response

    def refresh_rejected(self, rejected: str) -> str:
        """A new access token for one the provider rejected in its own way (Twinfield: a SOAP
        fault, not a 401): refreshed once under the integration's lock, saved, returned."""
        with self._local_lock:
            self._token = self._current_or_refreshed(rejected=rejected)
            return self._token["access_token"]

    def __repr__(self) -> str:
        return "RefreshingBearerAuth(<token hidden>)"

    @property
    def store(self) -> CredentialStore:
        """The integration's credentials, for providers that keep more than tokens there (the
        QuickBooks company a consent was given for, which discovery needs)."""
        return self._store

    @staticmethod
    def _fresh(token: dict[str, Any] | None) -> bool:
        return bool(token) and token["expires_at"] - REFRESH_MARGIN_SECONDS > time.time()

    def access_token(self) -> str:
        with self._local_lock:
            if not self._fresh(self._token):
                self._token = self._current_or_refreshed()
            return self._token["access_token"]

    def _current_or_refreshed(self, rejected: str | None = None) -> dict[str, Any]:
        with self._store.lock():
            credentials = self._store.load()
            token = normalise_token(credentials["token"])
            # Another run may have refreshed already; a token the provider just rejected is not
            # fresh, whatever its expiry says.
            if self._fresh(token) and token["access_token"] != rejected:
                return token
            try:
                token = self._oauth.refresh(token["refresh_token"])
            except InvalidGrantError as exc:
                reason = (f"the provider refused the refresh token ({exc.description or exc.error}); "
                          "reconnect the integration to give new consent")
                self._store.mark_unhealthy("token_expired", reason)
                raise ReconnectRequired(reason) from None
            except OAuth2Error as exc:
                raise ReconnectRequired(f"token refresh failed: {exc.error}") from None
            self._store.save({**credentials, "token": token})
            return token
