"""A provider every customer hosts apart (Odoo) is connected at the host its credentials name."""

from monitr_pipeline.connections import lifecycle
from monitr_pipeline.providers.registry import adapter_for


def test_the_credentials_url_is_the_integrations_host(control, monkeypatch):
    asked = []
    monkeypatch.setattr(lifecycle, "check_credentials",
                        lambda adapter, base_url, credentials: asked.append(base_url))
    organisation = control.ensure_organisation("hosted", "Hosted BV")
    credentials = {"url": "https://hosted.odoo.com", "database": "hosted", "username": "bot",
                   "api_key": "k"}
    integration = lifecycle.connect_with_credentials(
        control, adapter_for("odoo"), organisation, environment=None, base_url_override=None,
        credentials=credentials)
    assert asked == ["https://hosted.odoo.com"]
    assert control.integration_info(integration).base_url == "https://hosted.odoo.com"
