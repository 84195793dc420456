"""Fixtures for the Moneybird emulator tests: a fresh sandbox, its Flask test client, a bearer token,
and the emulator served over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitr_sandbox.moneybird import MoneybirdSandbox, create_app
from monitr_sandbox.server import EmulatorServer


@pytest.fixture
def moneybird() -> MoneybirdSandbox:
    return MoneybirdSandbox()


@pytest.fixture
def client(moneybird):
    return create_app(moneybird).test_client()


@pytest.fixture
def headers(moneybird) -> dict[str, str]:
    return {"Authorization": f"Bearer {moneybird.issue_tokens()['access_token']}"}


@pytest.fixture
def served(moneybird, monkeypatch) -> Iterator[str]:
    """The emulator's base URL on 127.0.0.1 (plain HTTP: oauthlib is told that is fine)."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    with EmulatorServer(create_app(moneybird)) as server:
        yield server.url
