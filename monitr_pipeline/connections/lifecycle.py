"""Connecting, reconnecting and selecting, per auth kind, as the CLI (and a product UI) drives them.

OAuth2 integrations exist from the moment the consent starts (pending_auth) and become connected
when the code is exchanged; API keys and credentials are checked against the provider before they
are stored; file uploads need a platform connected first (control/rules.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from monitr_pipeline.connections.connect import (
    OAuthStart,
    discover,
    hinted_entity,
    link_entities,
    start_oauth,
)
from monitr_pipeline.connections.health import record_discovery
from monitr_pipeline.control.models import Health
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.ingestion.client import oauth_client
from monitr_pipeline.ingestion.http import provider_session
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter


class CredentialsRejected(ValueError):
    """The provider refused the credentials; the message carries its own reason."""


@dataclass(frozen=True)
class AppRegistration:
    """Our app's OAuth2 client at the provider (from the environment, or the sandbox's)."""

    client_id: str
    client_secret: str
    # Further settings of the registration the provider wants on every call, by the names its
    # OAuth2Spec.app_headers gives them (Nmbrs' subscription_key); secret too.
    settings: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        hidden = "".join(f", {name}=<hidden>" for name in sorted(self.settings))
        return f"AppRegistration(client_id={self.client_id!r}, client_secret=<hidden>{hidden})"


@dataclass(frozen=True)
class PendingConsent:
    integration_id: int
    start: OAuthStart


def integration_name(adapter: ProviderAdapter, environment: str | None,
                     base_url: str | None = None) -> str:
    """The provider's name; with the environment when it has several, and with the host when
    every customer's installation has its own address (no environments: one organisation may
    connect two installations)."""
    several = len(adapter.spec.environments) > 1
    if several and environment:
        return f"{adapter.spec.name} {environment.upper()}"
    if not adapter.spec.environments and base_url:
        return f"{adapter.spec.name} ({urlsplit(base_url).netloc or base_url})"
    return adapter.spec.name


def begin_oauth(control: ControlPlane, adapter: ProviderAdapter, organisation_id: int, *,
                environment: str | None, base_url_override: str | None, app: AppRegistration,
                redirect_uri: str, integration_id: int | None = None) -> PendingConsent:
    """Start a consent: a new integration in pending_auth (or `integration_id` to reconnect)."""
    if integration_id is None:
        integration_id = control.find_pending_integration(organisation_id, adapter.spec.slug,
                                                          environment)
        if integration_id is not None and base_url_override:
            # A consent started again at another address (a typo corrected, another of the
            # customer's installations) asks that address, not the abandoned one.
            control.set_base_url(integration_id, base_url_override)
    if integration_id is None:
        integration_id = control.create_integration(
            organisation_id, adapter.spec.slug,
            integration_name(adapter, environment, base_url_override),
            adapter.spec.auth_kind, environment=environment, base_url=base_url_override)
    integration = control.integration_info(integration_id)
    base_url = adapter.base_url(integration.environment, integration.base_url)
    start = start_oauth(adapter, base_url, app.client_id, app.client_secret, redirect_uri)
    return PendingConsent(integration_id, start)


def finish_oauth(control: ControlPlane, adapter: ProviderAdapter, pending: PendingConsent,
                 app: AppRegistration, callback_url: str) -> int:
    """Exchange the callback's code (oauthlib refuses a mismatched state) and store the tokens,
    encrypted. A reconnect replaces the tokens of the same integration; entities stay as they are."""
    integration = control.integration_info(pending.integration_id)
    base_url = adapter.base_url(integration.environment, integration.base_url)
    pkce = {"code_verifier": pending.start.code_verifier} if pending.start.code_verifier else {}
    token = oauth_client(adapter, base_url, app.client_id, app.client_secret).exchange_code(
        callback_url, pending.start.redirect_uri, pending.start.state, **pkce)
    control.save_credentials(pending.integration_id, {
        "client_id": app.client_id, "client_secret": app.client_secret, "token": token,
        **app.settings, **adapter.callback_credentials(callback_url)}, new_consent=True)
    control.set_health(pending.integration_id, Health.HEALTHY.value)
    return pending.integration_id


def check_credentials(adapter: ProviderAdapter, base_url: str, credentials: Mapping[str, Any]
                      ) -> list[Administration]:
    """Ask the provider with these credentials which administrations they open; a refusal raises
    CredentialsRejected in the provider's words. Nothing is stored."""
    session = provider_session(adapter, max_attempts=2)
    auth = None
    try:
        session.auth = auth = adapter.credentials_auth(dict(credentials), base_url)
        return adapter.discover(session, base_url)
    except requests.HTTPError as exc:  # ProviderError, or raised by an auth that opens a session
        status = getattr(exc, "status", None) or (
            exc.response.status_code if exc.response is not None else None)
        if status not in (400, 401, 403):
            raise
        reason = getattr(exc, "reason", None) or adapter.error_reason(exc.response)
        raise CredentialsRejected(f"{adapter.spec.name} refused the credentials: {reason}") from None
    finally:
        if hasattr(auth, "close"):  # e.g. e-Boekhouden's session: end what the check opened
            auth.close()
        session.close()


def connect_with_credentials(control: ControlPlane, adapter: ProviderAdapter,
                             organisation_id: int, *, environment: str | None,
                             base_url_override: str | None, credentials: Mapping[str, Any],
                             integration_id: int | None = None) -> int:
    """Store API keys or credentials once the provider accepted them (new, or a reconnect).
    A provider every customer hosts apart (Odoo) names its host in the credentials (`url`)."""
    base_url_override = base_url_override or credentials.get("url") or None
    base_url = adapter.base_url(environment, base_url_override)
    check_credentials(adapter, base_url, credentials)
    if integration_id is None:
        return control.create_integration(
            organisation_id, adapter.spec.slug,
            integration_name(adapter, environment, base_url_override),
            adapter.spec.auth_kind, credentials=dict(credentials), environment=environment,
            base_url=base_url_override)
    control.save_credentials(integration_id, dict(credentials), new_consent=True)
    control.set_health(integration_id, Health.HEALTHY.value)
    return integration_id


def connect_file_upload(control: ControlPlane, adapter: ProviderAdapter, organisation_id: int,
                        location: str) -> int:
    """A file-upload integration reading from `location`; refused as an organisation's first."""
    return control.create_integration(
        organisation_id, adapter.spec.slug, adapter.spec.name, adapter.spec.auth_kind,
        credentials={"upload_method": "folder"}, base_url=location)


def select(control: ControlPlane, adapter: ProviderAdapter, integration_id: int,
           external_ids: Sequence[str] | None, *, entity_id: int | None = None,
           visible: Sequence[Administration] | None = None) -> list[ConnectionInfo]:
    """Turn the chosen administrations (None: all the login sees) into entity connections.
    `visible` is what discovery just listed, when the caller has it (no second call)."""
    if visible is None:
        visible = discover(control, adapter, integration_id)
    if external_ids is None:
        chosen = visible
    else:
        by_id = {a.external_id: a for a in visible}
        unknown = [i for i in external_ids if i not in by_id]
        if unknown:
            known = ", ".join(f"{a.external_id} ({a.name})" for a in visible) or "none"
            raise LookupError(f"{adapter.spec.name} does not show {', '.join(unknown)} to this "
                              f"login; it shows: {known}")
        chosen = [by_id[i] for i in external_ids]
    if entity_id is not None and len(chosen) != 1:
        raise ValueError("--entity takes exactly one administration")
    # Without --entity, an administration the provider links to one of our entities joins it.
    organisation_id = control.integration_info(integration_id).organisation_id
    connections = [control.connect_entity(
        integration_id, a.external_id, a.name, adapter.spec.connection_kind,
        entity_id=hinted_entity(control, organisation_id, a) if entity_id is None else entity_id)
        for a in chosen]
    link_entities(control, adapter, integration_id, zip(chosen, connections))
    # Discovery just answered, so health is known now (a reselect may have ended the last
    # administration not found).
    record_discovery(control, integration_id, {a.external_id: a.name for a in visible})
    return connections
