"""The Nmbrs emulator in the sandbox: one login (an accountant's) seeing three companies named
after the sandbox entities, connected through the consent as a user would; each company joins
the entity of its name (monitr_sandbox/organisation.py)."""

from __future__ import annotations

from pathlib import Path

import requests

from monitr_pipeline.connections.connect import complete_oauth, start_oauth
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.registry import adapter_for
from monitr_sandbox.nmbrs.app import create_app
from monitr_sandbox.nmbrs.companies import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_SUBSCRIPTION_KEY,
)
from monitr_sandbox.nmbrs.sandbox import NmbrsSandbox
from monitr_sandbox.oauth import SANDBOX_REDIRECT_URI
from monitr_sandbox.provider import SandboxProvider

_RELAXED = {"rate_limit": 1_000_000}


class NmbrsSandboxProvider(SandboxProvider):
    slug = "nmbrs"
    default_ports = {"default": 8805}
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    oauth_app_settings = {"subscription_key": SANDBOX_SUBSCRIPTION_KEY}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> NmbrsSandbox:
        return NmbrsSandbox(state_path, day=day, **(_RELAXED if relaxed_limits else {}))

    def wsgi_app(self, emulator: NmbrsSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: NmbrsSandbox) -> int:
        return connect_login(control, organisation_id, base_url, environment=environment)


def connect_login(control: ControlPlane, organisation_id: int, base_url: str,
                  environment: str | None = "default") -> int:
    """The accountant's consent at Nmbrs' identity service (the sandbox approves at once), the
    code exchanged for tokens, stored with our app's subscription key."""
    adapter = adapter_for("nmbrs")
    start = start_oauth(adapter, base_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET,
                        SANDBOX_REDIRECT_URI)
    consent = requests.get(start.authorize_url, allow_redirects=False, timeout=10)
    consent.raise_for_status()
    return complete_oauth(control, adapter, organisation_id, name="Nmbrs",
                          environment=environment, base_url_override=base_url,
                          client_id=SANDBOX_CLIENT_ID, client_secret=SANDBOX_CLIENT_SECRET,
                          start=start, callback_url=consent.headers["Location"],
                          app_settings={"subscription_key": SANDBOX_SUBSCRIPTION_KEY})
