"""An authenticated REST client for one entity of one integration, whatever the auth kind (or what
the provider reads instead: an upload folder)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from monitr_pipeline.ingestion.credentials import CredentialStore, ReconnectRequired
from monitr_pipeline.ingestion.http import rest_client
from monitr_pipeline.ingestion.oauth import OAuth2Client, RefreshingBearerAuth
from monitr_pipeline.providers.adapter import ProviderAdapter


def identity_base_url(adapter: ProviderAdapter, base_url: str, identity_host: str | None) -> str:
    """Where an identity endpoint (authorize, token) lives: the provider's own identity host when
    we talk to its real API, else the overridden base URL (an emulator serves all on one host)."""
    real_hosts = {url.rstrip("/") for url in adapter.spec.environments.values()}
    return identity_host if identity_host and base_url.rstrip("/") in real_hosts else base_url


def oauth_client(adapter: ProviderAdapter, base_url: str, client_id: str, client_secret: str
                 ) -> OAuth2Client:
    oauth = adapter.spec.oauth2
    if oauth is None:
        raise ValueError(f"{adapter.spec.name} does not use OAuth2")
    token_base = identity_base_url(adapter, base_url, oauth.token_base_url)
    return OAuth2Client(f"{token_base}{oauth.token_path}", client_id, client_secret,
                        basic_auth=oauth.client_auth == "basic")


def app_headers(adapter: ProviderAdapter, credentials: Mapping[str, Any]) -> dict[str, str]:
    """The headers of our app's registration every call carries (OAuth2Spec.app_headers), from
    the settings kept with the integration's credentials at consent."""
    wanted = adapter.spec.oauth2.app_headers if adapter.spec.oauth2 else {}
    missing = sorted(setting for setting in wanted.values() if not credentials.get(setting))
    if missing:
        names = ", ".join(f"MONITR_{adapter.spec.slug.upper()}_{s.upper()}" for s in missing)
        raise ReconnectRequired(
            f"the integration's credentials lack our app's {', '.join(missing)}, which "
            f"{adapter.spec.name} wants on every call; reconnect the integration with {names} set")
    return {header: str(credentials[setting]) for header, setting in wanted.items()}


def provider_auth(adapter: ProviderAdapter, base_url: str, store: CredentialStore
                  ) -> requests.auth.AuthBase:
    credentials = store.load()
    if adapter.spec.auth_kind == "oauth2":
        return RefreshingBearerAuth(
            store, oauth_client(adapter, base_url, credentials["client_id"],
                                credentials["client_secret"]),
            app_headers=app_headers(adapter, credentials))
    return adapter.credentials_auth(credentials, base_url)


def entity_client(adapter: ProviderAdapter, base_url: str, external_id: str,
                  store: CredentialStore, label: str | None = None) -> Any:
    """What the provider's transport reads the entity through: the adapter's own (a folder),
    else an authenticated REST client. `label` names the entity in what is logged about waits
    (quotas, Retry-After)."""
    own = adapter.entity_client(base_url, external_id)
    if own is not None:
        return own
    auth = adapter.entity_auth(provider_auth(adapter, base_url, store), base_url, external_id)
    return rest_client(adapter, adapter.tenant_base_url(base_url, external_id), auth,
                       headers=adapter.tenant_headers(external_id), label=label)
