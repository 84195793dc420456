"""The Twinfield emulators in the sandbox: one per organisation (login), each with its cluster."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.provider import SandboxProvider
from monitr_sandbox.twinfield.app import create_login_app
from monitr_sandbox.twinfield.organisations import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ORGANISATIONS,
)
from monitr_sandbox.twinfield.sandbox import TwinfieldSandbox


class TwinfieldSandboxProvider(SandboxProvider):
    slug = "twinfield"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    environments = tuple(SANDBOX_ORGANISATIONS)
    # The login hosts; each organisation's cluster is served on a port of its own, named by the
    # access-token validation (so other processes find it through the login host).
    default_ports = {"nl": 8751, "be": 8752}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> TwinfieldSandbox:
        return TwinfieldSandbox(environment, state_path=state_path, day=day)

    def close(self, emulator: TwinfieldSandbox) -> None:
        emulator.close()

    def wsgi_app(self, emulator: TwinfieldSandbox):
        return create_login_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: TwinfieldSandbox) -> int:
        return connect_with_oauth_consent(
            control, organisation_id, self.slug, environment, base_url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name=f"Twinfield {emulator.organisation.name}")
