"""The Stripe emulator in the sandbox: a Connect platform whose secret key the sandbox user
pastes; its connected accounts join the entities of their names."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.connections.lifecycle import connect_with_credentials
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.stripe import ADAPTER
from monitr_sandbox.provider import SandboxProvider
from monitr_sandbox.stripe.app import create_app
from monitr_sandbox.stripe.sandbox import StripeSandbox


def connect_with_api_key(control: ControlPlane, organisation_id: int, environment: str | None,
                         base_url: str, api_key: str | None) -> int:
    """What a user does: paste the secret key; Stripe is asked which accounts it opens (a refused
    key raises CredentialsRejected in Stripe's words) and only then is it stored, encrypted."""
    return connect_with_credentials(control, ADAPTER, organisation_id, environment=environment,
                                    base_url_override=base_url,
                                    credentials={"api_key": api_key or ""})


class StripeSandboxProvider(SandboxProvider):
    slug = "stripe"
    environments = ("default",)
    default_ports = {"default": 8801}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> StripeSandbox:
        options = {"requests_per_second": 1_000_000} if relaxed_limits else {}
        return StripeSandbox(state_path, day, **options)

    def wsgi_app(self, emulator: StripeSandbox):
        return create_app(emulator)

    def credentials_handout(self, emulator: StripeSandbox, state_dir: Path) -> str:
        # What the Stripe Dashboard shows once under Developers > API keys.
        key = emulator.api_key or emulator.issue_api_key()
        path = state_dir / "stripe_secret_key"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(key, encoding="utf-8")
        return f"Secret key in {path}: MONITR_API_KEY=$(cat {path}) monitr connect stripe --sandbox"

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: StripeSandbox) -> int:
        return connect_with_api_key(control, organisation_id, environment, base_url,
                                    emulator.api_key)
