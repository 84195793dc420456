"""The Xero emulator in the sandbox: one login with its organisations, connected by OAuth2 + PKCE."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.provider import SandboxProvider
from monitr_sandbox.xero.app import create_app
from monitr_sandbox.xero.sandbox import XeroSandbox
from monitr_sandbox.xero.tenants import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET


class XeroSandboxProvider(SandboxProvider):
    slug = "xero"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    default_ports = {"default": 8721}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> XeroSandbox:
        options = ({"minute_limit": 100_000, "day_limit": 1_000_000, "app_minute_limit": 1_000_000}
                   if relaxed_limits else {})
        return XeroSandbox(state_path=state_path, day=day, **options)

    def wsgi_app(self, emulator: XeroSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: XeroSandbox) -> int:
        # The emulator answers for login.xero.com, identity.xero.com and api.xero.com alike, so the
        # integration's one base URL override covers consent, tokens and the API.
        return connect_with_oauth_consent(
            control, organisation_id, self.slug, environment, base_url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name="Xero")
