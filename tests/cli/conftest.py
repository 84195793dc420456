"""Driving `monitr` as a user would: a browser that approves the consent it is shown."""

from __future__ import annotations

import threading

import pytest
import requests

import monitr_pipeline.cli.connect as cli_connect


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Opens every authorise address the CLI prints, as a user's browser would: the emulator
    consents and redirects to the CLI's callback server on 127.0.0.1. Returns the addresses."""
    opened: list[str] = []
    print_consent = cli_connect._receive_consent

    def open_in_browser(authorize_url, receiver, timeout, prompt):  # noqa: ANN001
        opened.append(authorize_url)
        if receiver is not None:
            threading.Thread(target=requests.get, args=(authorize_url,),
                             kwargs={"timeout": 30}, daemon=True).start()
        return print_consent(authorize_url, receiver, timeout, prompt)

    monkeypatch.setattr(cli_connect, "_receive_consent", open_in_browser)
    return opened
