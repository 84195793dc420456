"""Connecting the sandbox organisation the way a user does: paste the API token, checked first."""

from __future__ import annotations

import pytest

from monitr_pipeline.providers.eboekhouden import ApiTokenRejected
from monitr_sandbox.eboekhouden import EBoekhoudenSandbox, connect_with_api_token, create_app
from monitr_sandbox.server import EmulatorServer


def test_a_wrong_token_is_refused_and_a_good_one_stored_encrypted(control):
    sandbox = EBoekhoudenSandbox()
    organisation = control.ensure_organisation("demo", "Demo")
    with EmulatorServer(create_app(sandbox)) as server:
        with pytest.raises(ApiTokenRejected, match="Invalid access token") as refused:
            connect_with_api_token(control, organisation, "default", server.url, "not-the-token")
        assert "reconnect" in str(refused.value)
        assert control.find_integration(organisation, "eboekhouden") is None

        integration_id = connect_with_api_token(control, organisation, "default", server.url,
                                                sandbox.api_token)
    integration = control.integration(integration_id)
    assert integration.auth_kind.value == "api_key" and integration.base_url == server.url
    assert control.load_credentials(integration_id) == {"api_token": sandbox.api_token}
    assert sandbox.api_token.encode() not in integration.credentials_encrypted
    assert not sandbox.sessions.open_sessions  # the check ends the session it opened
