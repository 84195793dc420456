"""`monitr connect yuki` as a user runs it: the access key from MONITR_ACCESS_KEY (never printed),
checked against Yuki, the domain's administrations discovered and selected; a wrong key refused in
Yuki's words and nothing stored."""

from __future__ import annotations

import pytest

from monitr_pipeline.cli import main
from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.yuki import YukiSandbox, create_app


def test_connect_with_the_access_key_selects_the_domains_administrations(
        monitr_home, settings, monkeypatch: pytest.MonkeyPatch, capsys):
    sandbox = YukiSandbox("be")
    with EmulatorServer(create_app(sandbox)) as server:
        monkeypatch.setenv("MONITR_ACCESS_KEY", "11111111-2222-4333-8444-555555555555")
        assert main(["connect", "yuki", "--environment", "be", "--base-url", server.url,
                     "--select", "all", "--no-import"]) != 0
        refused = capsys.readouterr()
        assert "Invalid access key" in refused.out + refused.err
        assert ControlPlane.from_settings(settings).connections(active_only=False) == []

        monkeypatch.setenv("MONITR_ACCESS_KEY", sandbox.access_key)
        assert main(["connect", "yuki", "--environment", "be", "--base-url", server.url,
                     "--select", "all", "--no-import"]) == 0
        shown = capsys.readouterr()
    assert sandbox.access_key not in shown.out + shown.err
    connections = ControlPlane.from_settings(settings).connections(active_only=False)
    assert sorted(c.external_id for c in connections) == sorted(
        a.id for a in sandbox.domain.administrations)
    assert {c.provider for c in connections} == {"yuki"}
