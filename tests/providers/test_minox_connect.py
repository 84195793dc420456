"""Connecting Minox as `monitr connect` does: the main user's consent (begin and finish), discovery
of the subscription's administrations, selecting the one this connection covers, and the health
checks when the administration disappears or the consent is withdrawn."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from monitr_pipeline.connections.health import check_integration, classify_failure
from monitr_pipeline.connections.lifecycle import AppRegistration, begin_oauth, finish_oauth, select
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.minox import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.minox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, MinoxSandbox, create_app
from monitr_sandbox.oauth import SANDBOX_REDIRECT_URI
from monitr_sandbox.server import EmulatorServer

_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[tuple[ControlPlane, MinoxSandbox, str]]:
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MONITR_HOME", str(tmp_path / "monitr"))
    control = ControlPlane.from_settings(Settings.from_env())
    sandbox = MinoxSandbox(rate_limit=10_000)
    with EmulatorServer(create_app(sandbox)) as server:
        yield control, sandbox, server.url


def _connect(control: ControlPlane, url: str) -> int:
    organisation_id = control.ensure_organisation("demo", "Demo")
    app = AppRegistration(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    pending = begin_oauth(control, ADAPTER, organisation_id, environment=None,
                          base_url_override=url, app=app, redirect_uri=SANDBOX_REDIRECT_URI)
    consent = requests.get(pending.start.authorize_url, allow_redirects=False, timeout=10)
    return finish_oauth(control, ADAPTER, pending, app, consent.headers["Location"])


def test_connect_discover_and_select_the_administration(world):
    control, sandbox, url = world
    integration_id = _connect(control, url)
    assert control.integration_info(integration_id).status == "connected"
    with pytest.raises(LookupError, match="10042/1"):
        select(control, ADAPTER, integration_id, ["10042/7"])
    [connection] = select(control, ADAPTER, integration_id, ["10042/1"])
    assert (connection.external_id, connection.entity_name) == (
        "10042/1", "Bakkerij De Korenschoof B.V.")
    # Discovery asked Minox who the token is for, then for that subscription's administrations.
    paths = [path for _, path, _ in sandbox.request_log]
    assert "/api/1/inspect" in paths and "/api/1/tenant/10042/administration" in paths


def test_an_administration_gone_and_a_withdrawn_consent(world):
    control, sandbox, url = world
    integration_id = _connect(control, url)
    select(control, ADAPTER, integration_id, ["10042/1"])
    sandbox.remove_administration("10042/1")
    info = check_integration(control, integration_id)
    assert info.health == "administration_not_found"
    gone = ProviderError("gone", status=404, reason="Administratie 1 niet gevonden.")
    assert classify_failure(ADAPTER, gone).health.value == "administration_not_found"
    sandbox.restore_administration("10042/1")
    assert check_integration(control, integration_id).health == "healthy"
    sandbox.revoke_all_tokens()
    sandbox.expire_access_tokens()
    assert check_integration(control, integration_id).health == "token_expired"
