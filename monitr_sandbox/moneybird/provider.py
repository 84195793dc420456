"""The Moneybird emulator in the sandbox: one login with two administrations, connected by OAuth2."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.moneybird.administrations import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from monitr_sandbox.moneybird.app import create_app
from monitr_sandbox.moneybird.sandbox import MoneybirdSandbox
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.provider import SandboxProvider


class MoneybirdSandboxProvider(SandboxProvider):
    slug = "moneybird"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    default_ports = {"default": 8711}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> MoneybirdSandbox:
        options = {"request_limit": 100_000} if relaxed_limits else {}
        return MoneybirdSandbox(state_path=state_path, day=day, **options)

    def wsgi_app(self, emulator: MoneybirdSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: MoneybirdSandbox) -> int:
        return connect_with_oauth_consent(
            control, organisation_id, self.slug, environment, base_url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name="Moneybird")
