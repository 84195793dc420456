"""A provider with no single address (no environments: every customer hosts its own installation):
`monitr connect` asks for the address, and each installation's integration keeps its own."""

from __future__ import annotations

from dataclasses import replace

import pytest

import monitr_pipeline.cli.connect as cli_connect
from monitr_pipeline.cli import main
from monitr_pipeline.connections.lifecycle import AppRegistration, begin_oauth, integration_name
from monitr_pipeline.providers.registry import adapter_for


@pytest.fixture
def hosted_apart():
    """Xero's adapter with its environments taken away: an OAuth2 provider with no known host."""
    adapter = adapter_for("xero")

    class HostedApart(type(adapter)):
        spec = replace(adapter.spec, environments={}, default_environment=None)

    return HostedApart()


def test_connect_without_an_address_is_refused_clearly(control, hosted_apart, monkeypatch, capsys):
    monkeypatch.setattr(cli_connect, "provider_adapter", lambda slug: hosted_apart)
    assert main(["connect", "xero", "--paste"]) == 2
    err = capsys.readouterr().err
    assert "has no single address" in err and "--base-url" in err and "Traceback" not in err
    assert control.integrations() == []


def test_each_installation_keeps_its_own_address_and_name(control, hosted_apart):
    organisation_id = control.ensure_organisation("demo", "Demo")
    app = AppRegistration("id", "secret")
    first = begin_oauth(control, hosted_apart, organisation_id, environment=None,
                        base_url_override="https://one.example.be", app=app,
                        redirect_uri="http://127.0.0.1:8799/oauth/callback")
    assert first.start.authorize_url.startswith("https://one.example.be/")
    assert control.integration_info(first.integration_id).name == "Xero (one.example.be)"
    # The consent was abandoned; started again at another address, it asks that address.
    again = begin_oauth(control, hosted_apart, organisation_id, environment=None,
                        base_url_override="https://two.example.be", app=app,
                        redirect_uri="http://127.0.0.1:8799/oauth/callback")
    assert again.integration_id == first.integration_id
    assert again.start.authorize_url.startswith("https://two.example.be/")
    assert control.integration(again.integration_id).base_url == "https://two.example.be"


def test_providers_with_environments_keep_their_names():
    assert integration_name(adapter_for("exact_online"), "nl", "http://127.0.0.1:1") == "Exact Online NL"
    assert integration_name(adapter_for("xero"), "default", "http://127.0.0.1:1") == "Xero"
