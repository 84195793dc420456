"""An adapter's entity_auth wraps the integration's auth for one entity's calls."""

from __future__ import annotations

import requests

from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.providers.spec import ProviderSpec


class _Integration(requests.auth.AuthBase):
    def __call__(self, request):
        request.headers["X-Integration"] = "yes"
        return request


class _PerEntity(requests.auth.AuthBase):
    def __init__(self, inner, external_id):
        self.inner, self.external_id = inner, external_id

    def __call__(self, request):
        request = self.inner(request)
        request.headers["X-Entity-Token"] = f"token-of-{self.external_id}"
        return request


class _Adapter(ProviderAdapter):
    spec = ProviderSpec(slug="wrapped", name="Wrapped", connection_kind="accounting",
                        auth_kind="api_key", environments={"default": "https://api.example"},
                        endpoints=())

    def tenant_base_url(self, base_url, external_id):
        return f"{base_url}/{external_id}"

    def credentials_auth(self, credentials, base_url):
        return _Integration()

    def entity_auth(self, auth, base_url, external_id):
        return _PerEntity(auth, external_id)


class _Store:
    def load(self):
        return {"api_key": "k"}


def test_entity_client_sends_the_adapters_per_entity_auth():
    client = entity_client(_Adapter(), "https://api.example", "adm-7", _Store())
    request = client.auth(requests.Request("GET", "https://api.example/adm-7/x").prepare())
    assert request.headers["X-Integration"] == "yes"
    assert request.headers["X-Entity-Token"] == "token-of-adm-7"


def test_the_default_is_the_integrations_own_auth():
    auth = _Integration()
    assert ProviderAdapter().entity_auth(auth, "https://api.example", "adm-7") is auth
