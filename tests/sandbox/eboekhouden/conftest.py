"""Fixtures for the e-Boekhouden emulator tests: a fresh sandbox, its Flask test client, a session."""

from __future__ import annotations

import pytest

from monitr_sandbox.eboekhouden import EBoekhoudenSandbox, create_app


@pytest.fixture(scope="module")
def shared_books():
    """One sandbox for read-only tests (building the ledger is the slow part)."""
    return EBoekhoudenSandbox()


@pytest.fixture
def eboekhouden() -> EBoekhoudenSandbox:
    return EBoekhoudenSandbox()


@pytest.fixture
def client(eboekhouden):
    return create_app(eboekhouden).test_client()


@pytest.fixture
def headers(client, eboekhouden) -> dict[str, str]:
    """A session's Authorization header: the bare session token."""
    response = client.post("/v1/session", json={"accessToken": eboekhouden.api_token,
                                                 "source": "TEST"})
    assert response.status_code == 200, response.json
    return {"Authorization": response.json["token"], "Accept": "application/json"}
