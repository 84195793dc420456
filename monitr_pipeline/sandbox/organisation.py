"""The sandbox organisation: emulators for every provider, and the organisation connected to them."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import requests

from monitr_pipeline.connect import complete_oauth, discover, select_administrations, start_oauth
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.sandbox.exact_online import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ENVIRONMENTS,
    ExactSandbox,
    create_app,
)
from monitr_pipeline.sandbox.server import EmulatorServer

ORGANISATION_SLUG = "demo"
ORGANISATION_NAME = "Demo Accountancy (sandbox)"
# Fixed ports so the Dagster UI, the CLI and the demo all reach the same emulators.
DEFAULT_PORTS = {("exact_online", "nl"): 8701, ("exact_online", "be"): 8702}
# Never contacted: the sandbox consents at once and we read the code from its redirect.
SANDBOX_REDIRECT_URI = "http://127.0.0.1:8799/oauth/callback"


@dataclass
class RunningSandbox:
    """Emulators serving on loopback; `urls[(provider, environment)]` is each one's base URL."""

    emulators: dict[tuple[str, str], object] = field(default_factory=dict)
    urls: dict[tuple[str, str], str] = field(default_factory=dict)
    _stack: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_sandbox(state_dir: Path, day: int = 0, ports: dict | None = None,
                  **emulator_options) -> RunningSandbox:
    """Start every emulator; `day` replays that many days of bookkeeping since the base data."""
    ports = DEFAULT_PORTS if ports is None else ports
    sandbox = RunningSandbox()
    state_dir.mkdir(parents=True, exist_ok=True)
    for environment in SANDBOX_ENVIRONMENTS:
        key = ("exact_online", environment)
        emulator = ExactSandbox(environment=environment,
                                state_path=state_dir / f"exact_online_{environment}.json",
                                day=day, **emulator_options)
        server = sandbox._stack.enter_context(EmulatorServer(create_app(emulator), ports.get(key, 0)))
        sandbox.emulators[key] = emulator
        sandbox.urls[key] = server.url
    return sandbox


def connect_sandbox_oauth(control: ControlPlane, organisation_id: int, provider: str,
                          environment: str, base_url: str, client_id: str, client_secret: str,
                          name: str) -> int:
    """The real authorization-code flow against an emulator, whose consent page approves at once."""
    adapter = adapter_for(provider)
    start = start_oauth(adapter, base_url, client_id, client_secret, SANDBOX_REDIRECT_URI)
    consent = requests.get(start.authorize_url, allow_redirects=False, timeout=10)
    consent.raise_for_status()
    return complete_oauth(control, adapter, organisation_id, name=name, environment=environment,
                          base_url_override=base_url, client_id=client_id,
                          client_secret=client_secret, start=start,
                          callback_url=consent.headers["Location"])


def seed_organisation(control: ControlPlane, sandbox: RunningSandbox) -> int:
    """Connect the sandbox organisation to every emulator and select every administration."""
    organisation_id = control.ensure_organisation(ORGANISATION_SLUG, ORGANISATION_NAME)
    for (provider, environment), url in sandbox.urls.items():
        adapter = adapter_for(provider)
        existing = control.find_integration(organisation_id, provider, environment)
        if existing is not None:
            # Emulators may come up on other ports than last time (tests use ephemeral ones).
            control.set_base_url(existing, url)
            continue
        integration_id = connect_sandbox_oauth(
            control, organisation_id, provider, environment, url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name=f"{adapter.spec.name} {environment.upper()}")
        select_administrations(control, adapter, integration_id,
                               discover(control, adapter, integration_id))
    return organisation_id
