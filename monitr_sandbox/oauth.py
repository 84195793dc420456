"""The OAuth2 authorization-code flow against an emulator, whose consent page approves at once."""

from __future__ import annotations

import requests

from monitr_pipeline.connections.connect import complete_oauth, start_oauth
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.registry import adapter_for

# Never contacted: the sandbox consents at once and we read the code from its redirect.
SANDBOX_REDIRECT_URI = "http://127.0.0.1:8799/oauth/callback"


def connect_with_oauth_consent(control: ControlPlane, organisation_id: int, provider: str,
                               environment: str | None, base_url: str, client_id: str,
                               client_secret: str, name: str) -> int:
    adapter = adapter_for(provider)
    start = start_oauth(adapter, base_url, client_id, client_secret, SANDBOX_REDIRECT_URI)
    consent = requests.get(start.authorize_url, allow_redirects=False, timeout=10)
    consent.raise_for_status()
    return complete_oauth(control, adapter, organisation_id, name=name, environment=environment,
                          base_url_override=base_url, client_id=client_id,
                          client_secret=client_secret, start=start,
                          callback_url=consent.headers["Location"])
