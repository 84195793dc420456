"""The Minox emulator in the sandbox: one emulator holding every subscription, served once per
subscription's consent (a sandbox environment each), so each is connected as its own integration:
a Minox connection covers one administration."""

from __future__ import annotations

from pathlib import Path

import requests

from monitr_pipeline.connections.connect import complete_oauth, start_oauth
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.registry import adapter_for
from monitr_sandbox.minox.app import create_app
from monitr_sandbox.minox.sandbox import MinoxSandbox
from monitr_sandbox.minox.tenants import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, tenant
from monitr_sandbox.oauth import SANDBOX_REDIRECT_URI
from monitr_sandbox.provider import SandboxProvider

_RELAXED = {"rate_limit": 1_000_000}


class MinoxSandboxProvider(SandboxProvider):
    slug = "minox"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    # One environment per subscription (client number), each the consent of its main user. All
    # are served by the one emulator; 8783 is the demo port, the others sit beside it.
    environments = ("10042", "20317", "31876")
    default_ports = {"10042": 8783, "20317": 8788, "31876": 8789}

    def __init__(self) -> None:
        # The one emulator behind every environment of a sandbox folder, and how many of its
        # environments are up (it is forgotten when the last one closes).
        self._shared: dict[Path, list] = {}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> MinoxSandbox:
        folder = Path(state_path).parent
        shared = self._shared.get(folder)
        if shared is None:
            emulator = MinoxSandbox(folder / "minox.json", day=day,
                                    **(_RELAXED if relaxed_limits else {}))
            shared = self._shared[folder] = [emulator, 0]
        shared[1] += 1
        return shared[0]

    def close(self, emulator: MinoxSandbox) -> None:
        for folder, shared in list(self._shared.items()):
            if shared[0] is emulator:
                shared[1] -= 1
                if shared[1] <= 0:
                    del self._shared[folder]

    def wsgi_app(self, emulator: MinoxSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: MinoxSandbox) -> int:
        return connect_subscription(control, organisation_id, base_url, int(environment),
                                    environment=environment)


def connect_subscription(control: ControlPlane, organisation_id: int, base_url: str,
                         client_number: int, environment: str | None = None) -> int:
    """The consent of one subscription's main user, as a user gives it: Minox's consent page
    (signed in as that main user) redirects with a code, which is exchanged for tokens."""
    adapter = adapter_for("minox")
    start = start_oauth(adapter, base_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET,
                        SANDBOX_REDIRECT_URI)
    consent = requests.get(start.authorize_url, params={"sandbox_login": client_number},
                           allow_redirects=False, timeout=10)
    consent.raise_for_status()
    name = tenant(client_number).administrations[0].name
    return complete_oauth(control, adapter, organisation_id, name=f"Minox {name}",
                          environment=environment, base_url_override=base_url,
                          client_id=SANDBOX_CLIENT_ID, client_secret=SANDBOX_CLIENT_SECRET,
                          start=start, callback_url=consent.headers["Location"])
