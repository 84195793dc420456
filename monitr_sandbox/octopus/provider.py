"""The Octopus emulator in the sandbox: one login, three Belgian dossiers, connected by OAuth2."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.octopus.app import create_app
from monitr_sandbox.octopus.dossiers import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from monitr_sandbox.octopus.sandbox import OctopusSandbox
from monitr_sandbox.provider import SandboxProvider


class OctopusSandboxProvider(SandboxProvider):
    slug = "octopus"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    default_ports = {"default": 8781}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> OctopusSandbox:
        options = {"daily_calls": 1_000_000} if relaxed_limits else {}
        return OctopusSandbox(state_path=state_path, day=day, **options)

    def wsgi_app(self, emulator: OctopusSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: OctopusSandbox) -> int:
        # The emulator serves the OAuth server and the REST API on one host, as service.inaras.be.
        return connect_with_oauth_consent(control, organisation_id, self.slug, environment,
                                          base_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET,
                                          name="Octopus")
