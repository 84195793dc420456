"""Fixtures for the QuickBooks emulator tests: a fresh sandbox, its Flask test client, a bearer token."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitr_sandbox.quickbooks import QuickBooksSandbox, create_app


class Clock:
    def __init__(self, now: float = 1_795_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def qbo(clock, tmp_path) -> QuickBooksSandbox:
    return QuickBooksSandbox(tmp_path / "quickbooks.json", clock=clock)


@pytest.fixture
def client(qbo):
    return create_app(qbo).test_client()


@pytest.fixture
def headers(qbo) -> dict[str, str]:
    return {"Authorization": f"Bearer {qbo.issue_tokens()['access_token']}",
            "Accept": "application/json"}


@pytest.fixture
def select(client, headers, qbo) -> Callable[..., dict]:
    """Run a query as the API's GET /query does; returns the QueryResponse (asserting HTTP 200)."""

    def run(text: str) -> dict:
        response = client.get(f"/v3/company/{qbo.realm}/query",
                              query_string={"query": text, "minorversion": "75"}, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json["QueryResponse"]

    return run
