"""The QuickBooks emulator in the sandbox: Intuit's sandbox environment, connected by OAuth2 consent."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.provider import SandboxProvider
from monitr_sandbox.quickbooks.app import create_app
from monitr_sandbox.quickbooks.company import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from monitr_sandbox.quickbooks.sandbox import QuickBooksSandbox


class QuickBooksSandboxProvider(SandboxProvider):
    slug = "quickbooks"
    oauth_app = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
    environments = ("sandbox",)  # Intuit's sandbox-quickbooks.api.intuit.com
    default_ports = {"sandbox": 8731}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> QuickBooksSandbox:
        limits = {"per_minute_limit": 100_000, "concurrent_limit": 1_000} if relaxed_limits else {}
        return QuickBooksSandbox(state_path=state_path, day=day, **limits)

    def wsgi_app(self, emulator: QuickBooksSandbox):
        return create_app(emulator)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: QuickBooksSandbox) -> int:
        # The consent redirect names the company (realmId); the adapter keeps it with the tokens.
        return connect_with_oauth_consent(
            control, organisation_id, self.slug, environment, base_url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name="QuickBooks Online (sandbox)")
