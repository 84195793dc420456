"""The HubSpot emulator in the sandbox: one emulator holding both portals, served once per
portal's app install (a sandbox environment each), so each install is its own integration: a
HubSpot token reaches the one portal it was installed in."""

from __future__ import annotations

from pathlib import Path

import requests

from monitr_pipeline.connections.connect import complete_oauth, start_oauth
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.registry import adapter_for
from monitr_sandbox.hubspot.app import create_app
from monitr_sandbox.hubspot.portals import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    portal_of_environment,
)
from monitr_sandbox.hubspot.sandbox import HubSpotSandbox
from monitr_sandbox.oauth import SANDBOX_REDIRECT_URI
from monitr_sandbox.provider import SandboxProvider

_RELAXED = {"ten_secondly": 1_000_000, "search_secondly": 1_000_000}


class HubSpotSandboxProvider(SandboxProvider):
    slug = "hubspot"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    # One environment per portal's install; both are served by the one emulator (8803 is the
    # demo port, the second portal's install sits beside it).
    environments = ("portal_a", "portal_b")
    default_ports = {"portal_a": 8803, "portal_b": 8833}

    def __init__(self) -> None:
        # The one emulator behind both environments of a sandbox folder, and how many of its
        # environments are up (it is forgotten when the last one closes).
        self._shared: dict[Path, list] = {}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> HubSpotSandbox:
        folder = Path(state_path).parent
        shared = self._shared.get(folder)
        if shared is None:
            emulator = HubSpotSandbox(folder / "hubspot.json", day=day,
                                      **(_RELAXED if relaxed_limits else {}))
            shared = self._shared[folder] = [emulator, 0]
        shared[1] += 1
        return shared[0]

    def close(self, emulator: HubSpotSandbox) -> None:
        for folder, shared in list(self._shared.items()):
            if shared[0] is emulator:
                shared[1] -= 1
                if shared[1] <= 0:
                    del self._shared[folder]

    def wsgi_app(self, emulator: HubSpotSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: HubSpotSandbox) -> int:
        return connect_portal(control, organisation_id, base_url, environment,
                              environment=environment)


def connect_portal(control: ControlPlane, organisation_id: int, base_url: str, login: str,
                   environment: str | None = None) -> int:
    """The app installed in one portal, as a user does it: HubSpot's install page (the user
    picks the portal) redirects with a code, which is exchanged for tokens."""
    adapter = adapter_for("hubspot")
    start = start_oauth(adapter, base_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET,
                        SANDBOX_REDIRECT_URI)
    consent = requests.get(start.authorize_url, params={"sandbox_login": login},
                           allow_redirects=False, timeout=10)
    consent.raise_for_status()
    found = portal_of_environment(login) if not login.isdigit() else None
    name = found.name if found else f"portal {login}"
    return complete_oauth(control, adapter, organisation_id, name=f"HubSpot {name}",
                          environment=environment, base_url_override=base_url,
                          client_id=SANDBOX_CLIENT_ID, client_secret=SANDBOX_CLIENT_SECRET,
                          start=start, callback_url=consent.headers["Location"])
