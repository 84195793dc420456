"""OAuth2Spec.app_headers: settings of our app's registration (a subscription key) travel on
every call beside the bearer token, kept with the credentials and never shown."""

from __future__ import annotations

import contextlib
import time

import pytest
import requests

from monitr_pipeline.connections.lifecycle import AppRegistration
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.providers.spec import OAuth2Spec, ProviderSpec


class _Adapter(ProviderAdapter):
    spec = ProviderSpec(
        slug="keyed", name="Keyed", connection_kind="payroll", auth_kind="oauth2",
        environments={"default": "https://api.example"}, endpoints=(),
        oauth2=OAuth2Spec("/authorize", "/token",
                          app_headers={"X-Subscription-Key": "subscription_key"}))

    def tenant_base_url(self, base_url, external_id):
        return f"{base_url}/{external_id}"


class _Store:
    def __init__(self, credentials):
        self.credentials = credentials

    def load(self):
        return dict(self.credentials)

    def lock(self):
        return contextlib.nullcontext()


def _credentials(**extra):
    token = {"access_token": "at", "refresh_token": "rt", "expires_at": time.time() + 3600}
    return {"client_id": "id", "client_secret": "secret", "token": token, **extra}


def test_every_call_carries_the_apps_header_beside_the_token():
    client = entity_client(_Adapter(), "https://api.example", "7",
                           _Store(_credentials(subscription_key="sub-key")))
    request = client.auth(requests.Request("GET", "https://api.example/7/x").prepare())
    assert request.headers["X-Subscription-Key"] == "sub-key"
    assert request.headers["Authorization"] == "Bearer at"


def test_credentials_without_the_setting_ask_for_a_reconnect_naming_the_variable():
    with pytest.raises(ReconnectRequired, match="MONITR_KEYED_SUBSCRIPTION_KEY"):
        entity_client(_Adapter(), "https://api.example", "7", _Store(_credentials()))


def test_the_registrations_settings_are_hidden():
    app = AppRegistration("id", "secret", {"subscription_key": "sub-key"})
    assert "sub-key" not in repr(app) and "secret" not in repr(app).replace("client_secret", "")


def test_monitr_connect_reads_the_setting_beside_the_client_id_and_secret(monkeypatch):
    from monitr_pipeline.cli.connect import _app_registration
    from monitr_pipeline.cli.plumbing import CliError

    for name in ("CLIENT_ID", "CLIENT_SECRET", "SUBSCRIPTION_KEY"):
        monkeypatch.delenv(f"MONITR_KEYED_{name}", raising=False)
    monkeypatch.setenv("MONITR_KEYED_CLIENT_ID", "id")
    monkeypatch.setenv("MONITR_KEYED_CLIENT_SECRET", "secret")
    with pytest.raises(CliError, match="MONITR_KEYED_SUBSCRIPTION_KEY"):
        _app_registration(_Adapter(), sandbox=False)
    monkeypatch.setenv("MONITR_KEYED_SUBSCRIPTION_KEY", "sub-key")
    assert _app_registration(_Adapter(), sandbox=False).settings == {
        "subscription_key": "sub-key"}
