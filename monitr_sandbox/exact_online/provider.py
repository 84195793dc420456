"""The Exact Online emulators in the sandbox: one per environment (NL, BE), connected by OAuth2."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.exact_online.app import create_app
from monitr_sandbox.exact_online.environments import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ENVIRONMENTS,
)
from monitr_sandbox.exact_online.sandbox import ExactSandbox
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.provider import SandboxProvider


class ExactSandboxProvider(SandboxProvider):
    slug = "exact_online"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    environments = tuple(SANDBOX_ENVIRONMENTS)
    default_ports = {"nl": 8701, "be": 8702}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> ExactSandbox:
        options = {"minutely_limit": 10_000, "daily_limit": 1_000_000} if relaxed_limits else {}
        return ExactSandbox(environment=environment, state_path=state_path, day=day, **options)

    def wsgi_app(self, emulator: ExactSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: ExactSandbox) -> int:
        return connect_with_oauth_consent(
            control, organisation_id, self.slug, environment, base_url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name=f"Exact Online {environment.upper()}")
