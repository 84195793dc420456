"""`monitr connect horus` as a user runs it: the installation's address is required, the consent
and discovery happen at that address, and two installations of one organisation are two
integrations, each with its own address and folders."""

from __future__ import annotations

import threading

import pytest
import requests

import monitr_pipeline.cli.connect as cli_connect
from monitr_pipeline.cli import main
from monitr_sandbox.horus import HorusSandbox, create_app
from monitr_sandbox.server import EmulatorServer


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Opens the authorise address the CLI prints, as the user's browser: the emulator consents
    and redirects to the CLI's callback server on 127.0.0.1."""
    opened: list[str] = []
    print_consent = cli_connect._receive_consent

    def open_in_browser(authorize_url, receiver, timeout, prompt):  # noqa: ANN001
        opened.append(authorize_url)
        threading.Thread(target=requests.get, args=(authorize_url,), kwargs={"timeout": 30},
                         daemon=True).start()
        return print_consent(authorize_url, receiver, timeout, prompt)

    monkeypatch.setattr(cli_connect, "_receive_consent", open_in_browser)
    return opened


def test_connect_without_the_installations_address_is_refused(control, capsys):
    assert main(["connect", "horus", "--paste"]) == 2
    err = capsys.readouterr().err
    assert "Horus has no single address" in err and "--base-url" in err
    assert control.integrations() == []


def test_two_installations_connect_into_one_organisation(control, browser, capsys):
    fiduciary, smb = HorusSandbox("fiduciary"), HorusSandbox("smb")
    with EmulatorServer(create_app(fiduciary)) as one, EmulatorServer(create_app(smb)) as two:
        for server in (one, two):
            assert main(["connect", "horus", "--base-url", server.url, "--sandbox",
                         "--callback-port", "0", "--select", "all", "--no-import"]) == 0
        out = capsys.readouterr().out
    # Each consent was asked at its installation's own address.
    assert [url.split("/oauth2/")[0] for url in browser] == [one.url, two.url]
    assert ("GET", "/api/v1/folders") in {(m, p) for m, p, _ in fiduciary.request_log}
    assert ("GET", "/api/v1/folders") in {(m, p) for m, p, _ in smb.request_log}

    integrations = [i for i in control.integrations() if i.provider == "horus"]
    assert len(integrations) == 2
    assert {control.integration(i.integration_id).base_url for i in integrations} == {
        one.url, two.url}
    assert len({i.name for i in integrations}) == 2 and all(
        i.name.startswith("Horus (127.0.0.1:") for i in integrations)
    assert len({control.integration(i.integration_id).organisation_id for i in integrations}) == 1
    folders = sorted(c.external_id for c in control.connections("horus"))
    assert folders == ["101", "102", "103", "201", "202"]
    assert "Bakkerij Peeters BV" in out and "Verbeke Vastgoed BV" in out
