"""Fixtures for the Xero emulator tests: a fresh sandbox, its Flask test client, a consented token."""

from __future__ import annotations

import pytest

from monitr_sandbox.xero import SANDBOX_TENANTS, XeroSandbox, create_app

NL_TENANT = SANDBOX_TENANTS[0].tenant_id
BE_TENANT = SANDBOX_TENANTS[1].tenant_id


class Clock:
    def __init__(self, now: float = 1_795_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def xero(clock) -> XeroSandbox:
    return XeroSandbox(clock=clock)


@pytest.fixture
def client(xero):
    return create_app(xero).test_client()


@pytest.fixture
def token(xero) -> dict:
    return xero.issue_tokens()


@pytest.fixture
def headers(token) -> dict[str, str]:
    """What every Accounting API call of the NL organisation carries."""
    return {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json",
            "Xero-Tenant-Id": NL_TENANT}
