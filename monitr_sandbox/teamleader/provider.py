"""The Teamleader emulator in the sandbox: one account (one integration), whose two departments
join the sandbox entities of their names beside those entities' accounting platforms."""

from __future__ import annotations

from pathlib import Path

import requests

from monitr_pipeline.connections.connect import complete_oauth, start_oauth
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.registry import adapter_for
from monitr_sandbox.oauth import SANDBOX_REDIRECT_URI
from monitr_sandbox.provider import SandboxProvider
from monitr_sandbox.teamleader.account import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from monitr_sandbox.teamleader.app import create_app
from monitr_sandbox.teamleader.sandbox import TeamleaderSandbox


class TeamleaderSandboxProvider(SandboxProvider):
    slug = "teamleader"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    default_ports = {"default": 8811}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> TeamleaderSandbox:
        return TeamleaderSandbox(state_path, day=day,
                                 **({"per_minute": 1_000_000} if relaxed_limits else {}))

    def wsgi_app(self, emulator: TeamleaderSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: TeamleaderSandbox) -> int:
        return connect_account(control, organisation_id, base_url)


def connect_account(control: ControlPlane, organisation_id: int, base_url: str) -> int:
    """The integration installed as a user does it: Teamleader's consent page redirects with a
    code, which is exchanged for the first token pair."""
    adapter = adapter_for("teamleader")
    start = start_oauth(adapter, base_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET,
                        SANDBOX_REDIRECT_URI)
    consent = requests.get(start.authorize_url, allow_redirects=False, timeout=10)
    consent.raise_for_status()
    return complete_oauth(control, adapter, organisation_id, name="Teamleader Focus",
                          environment="default", base_url_override=base_url,
                          client_id=SANDBOX_CLIENT_ID, client_secret=SANDBOX_CLIENT_SECRET,
                          start=start, callback_url=consent.headers["Location"])
