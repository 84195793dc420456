"""The Horus emulators in the sandbox: one per customer installation, each on its own address."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.horus.app import create_app
from monitr_sandbox.horus.installations import (
    INSTALLATIONS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
)
from monitr_sandbox.horus.sandbox import RELAXED_RATE_LIMIT, RATE_LIMIT, HorusSandbox
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.provider import SandboxProvider


class HorusSandboxProvider(SandboxProvider):
    slug = "horus"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    environments = tuple(INSTALLATIONS)
    default_ports = {"fiduciary": 8785, "smb": 8786}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> HorusSandbox:
        return HorusSandbox(environment, state_path=state_path, day=day,
                            rate_limit=RELAXED_RATE_LIMIT if relaxed_limits else RATE_LIMIT)

    def wsgi_app(self, emulator: HorusSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: HorusSandbox) -> int:
        # The installation's own address is the integration's: two installations, two of them.
        return connect_with_oauth_consent(
            control, organisation_id, self.slug, environment, base_url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name=f"Horus {emulator.installation.name}")
