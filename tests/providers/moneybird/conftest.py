"""A Moneybird emulator over real HTTP and an adapter REST client for one of its administrations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from monitr_pipeline.ingestion.http import rest_client
from monitr_pipeline.providers.moneybird import ADAPTER
from monitr_sandbox.moneybird import SANDBOX_ADMINISTRATIONS, MoneybirdSandbox, create_app
from monitr_sandbox.server import EmulatorServer


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str):
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@pytest.fixture
def moneybird() -> MoneybirdSandbox:
    return MoneybirdSandbox()


@pytest.fixture
def served(moneybird) -> Iterator[str]:
    with EmulatorServer(create_app(moneybird)) as server:
        yield server.url


@pytest.fixture
def auth(moneybird) -> Bearer:
    return Bearer(moneybird.issue_tokens()["access_token"])


@pytest.fixture
def client(served, auth):
    """The REST client of the first sandbox administration, as the engine builds it."""
    return rest_client(ADAPTER, ADAPTER.tenant_base_url(served, SANDBOX_ADMINISTRATIONS[0].id), auth)
