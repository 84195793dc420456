"""`monitr integrations reconnect --base-url`: an integration whose provider moved to another host
is reconnected there and keeps the new address; a failed reconnect keeps the old one."""

from __future__ import annotations

from monitr_pipeline.cli import main
from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import
from monitr_sandbox.control_api import with_controls
from monitr_sandbox.provider import sandbox_providers
from monitr_sandbox.server import EmulatorServer

EXACT = "exact_online"


def test_oauth_reconnect_at_another_host_keeps_that_host(sandbox, control, instance, browser,
                                                         capsys):
    exact = sandbox.emulators[(EXACT, "nl")]
    new_url = sandbox.urls[(EXACT, "nl")]
    # Connected at an address that later goes away (the same emulator, served elsewhere).
    with EmulatorServer(with_controls(sandbox_providers()[EXACT].wsgi_app(exact), exact)) as old:
        assert main(["connect", EXACT, "--environment", "nl", "--base-url", old.url, "--sandbox",
                     "--callback-port", "0", "--select", "all", "--no-import"]) == 0
    [integration] = control.integrations()
    assert integration.base_url == old.url
    connections = control.connections(EXACT)
    capsys.readouterr()

    assert main(["integrations", "reconnect", str(integration.integration_id), "--sandbox",
                 "--callback-port", "0", "--base-url", new_url]) == 0
    out = capsys.readouterr().out
    assert f"Reconnected {integration.name} (integration {integration.integration_id}) at " \
           f"{new_url}" in out
    assert browser[-1].startswith(f"{new_url}/")  # the consent was asked at the new host
    reconnected = control.integration_info(integration.integration_id)
    assert (reconnected.base_url, reconnected.health) == (new_url, "healthy")
    # Same integration, same entities; they now read from the new host.
    assert [(c.connection_id, c.entity_id, c.base_url) for c in control.connections(EXACT)] == [
        (c.connection_id, c.entity_id, new_url) for c in connections]
    # Imports go to the new host (the old one is gone).
    assert run_import(defs, instance, control, control.connections(EXACT)[0],
                      quiet=True).success


def test_a_failed_reconnect_at_another_host_keeps_the_old_one(sandbox, control, monkeypatch,
                                                              capsys):
    emulator = sandbox.emulators[("eboekhouden", "default")]
    url = sandbox.urls[("eboekhouden", "default")]
    monkeypatch.setenv("MONITR_API_TOKEN", emulator.api_token)
    assert main(["connect", "eboekhouden", "--base-url", url, "--select", "none"]) == 0
    [integration] = control.integrations()
    capsys.readouterr()

    nowhere = "http://127.0.0.1:9"
    assert main(["integrations", "reconnect", str(integration.integration_id),
                 "--base-url", nowhere]) == 2
    assert f"could not be reached at {nowhere}" in capsys.readouterr().err
    assert control.integration_info(integration.integration_id).base_url == url

    # The key is checked at the new address before anything is stored.
    with EmulatorServer(with_controls(sandbox_providers()["eboekhouden"].wsgi_app(emulator),
                                      emulator)) as moved:
        assert main(["integrations", "reconnect", str(integration.integration_id),
                     "--base-url", moved.url]) == 0
        reconnected = control.integration_info(integration.integration_id)
        assert (reconnected.base_url, reconnected.health) == (moved.url, "healthy")
