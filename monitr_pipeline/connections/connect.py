"""Connecting an integration: the OAuth2 consent, discovery of administrations, and their selection."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import requests

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.ingestion.client import identity_base_url, oauth_client, provider_auth
from monitr_pipeline.ingestion.http import provider_session
from monitr_pipeline.ingestion.oauth import new_pkce_pair
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter


@dataclass(frozen=True)
class OAuthStart:
    authorize_url: str
    state: str
    redirect_uri: str
    # PKCE: the secret half of the code challenge in authorize_url, sent with the code exchange.
    code_verifier: str | None = None


def start_oauth(adapter: ProviderAdapter, base_url: str, client_id: str, client_secret: str,
                redirect_uri: str) -> OAuthStart:
    """The provider's consent URL for this environment, with a fresh `state` to check on return."""
    spec = adapter.spec.oauth2
    if spec is None:
        raise ValueError(f"{adapter.spec.name} does not connect with OAuth2")
    authorize_base = identity_base_url(adapter, base_url, spec.authorize_base_url)
    verifier, pkce = None, {}
    if spec.pkce:
        verifier, challenge = new_pkce_pair()
        pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    url, state = oauth_client(adapter, base_url, client_id, client_secret).authorization_url(
        f"{authorize_base}{spec.authorize_path}", redirect_uri, spec.scopes, **pkce)
    return OAuthStart(url, state, redirect_uri, verifier)


def complete_oauth(control: ControlPlane, adapter: ProviderAdapter, organisation_id: int, *,
                   name: str, environment: str | None, base_url_override: str | None,
                   client_id: str, client_secret: str, start: OAuthStart,
                   callback_url: str, app_settings: Mapping[str, str] | None = None) -> int:
    """Exchange the callback's code (a mismatched state is refused) and store the tokens encrypted,
    with the app registration's further settings (OAuth2Spec.app_headers) beside them."""
    base_url = adapter.base_url(environment, base_url_override)
    pkce = {"code_verifier": start.code_verifier} if start.code_verifier else {}
    token = oauth_client(adapter, base_url, client_id, client_secret).exchange_code(
        callback_url, start.redirect_uri, start.state, **pkce)
    return control.create_integration(
        organisation_id, adapter.spec.slug, name, adapter.spec.auth_kind,
        credentials={"client_id": client_id, "client_secret": client_secret, "token": token,
                     **(app_settings or {}), **adapter.callback_credentials(callback_url)},
        environment=environment, base_url=base_url_override)


def _integration_session(control: ControlPlane, adapter: ProviderAdapter, integration_id: int
                         ) -> tuple[requests.Session, str]:
    integration = control.integration(integration_id)
    base_url = adapter.base_url(integration.environment, integration.base_url)
    session = provider_session(adapter, max_attempts=3)
    session.auth = provider_auth(adapter, base_url, control.credential_store(integration_id))
    return session, base_url


def discover(control: ControlPlane, adapter: ProviderAdapter, integration_id: int
             ) -> list[Administration]:
    """The administrations the integration's login can see at the provider."""
    session, base_url = _integration_session(control, adapter, integration_id)
    return adapter.discover(session, base_url)


def hinted_entity(control: ControlPlane, organisation_id: int, administration: Administration
                  ) -> int | None:
    """The organisation's entity the provider says the administration belongs to, if any."""
    if administration.entity_hint is None:
        return None
    return control.entity_by_reference(organisation_id, administration.entity_hint)


def link_entities(control: ControlPlane, adapter: ProviderAdapter, integration_id: int,
                  connected: Iterable[tuple[Administration, ConnectionInfo]]) -> None:
    """Tell a provider that keeps links to our entities (ProviderAdapter.links_entities) which
    entity each administration was just connected to, where it does not say so already: the next
    discovery then joins it without asking. Connecting again retries a link that failed."""
    if not adapter.links_entities:
        return
    links = [(administration, control.entity_reference(connection.entity_id))
             for administration, connection in connected]
    links = [(a, reference) for a, reference in links if a.entity_hint != reference]
    if links:
        session, base_url = _integration_session(control, adapter, integration_id)
        with session:
            adapter.link_entities(session, base_url, links)


def select_administrations(control: ControlPlane, adapter: ProviderAdapter, integration_id: int,
                           administrations: list[Administration]) -> list[ConnectionInfo]:
    """Each selected administration becomes an entity connection (its partition and first import
    follow from the partition sync)."""
    return [control.connect_entity(integration_id, a.external_id, a.name,
                                   adapter.spec.connection_kind)
            for a in administrations]
