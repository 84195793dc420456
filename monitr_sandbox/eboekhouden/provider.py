"""The e-Boekhouden emulator in the sandbox: one administration, connected with its API token."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.eboekhouden import ADAPTER
from monitr_sandbox.eboekhouden.app import create_app
from monitr_sandbox.eboekhouden.sandbox import EBoekhoudenSandbox
from monitr_sandbox.provider import SandboxProvider


def connect_with_api_token(control: ControlPlane, organisation_id: int, environment: str | None,
                           base_url: str, api_token: str | None) -> int:
    """What a user does: paste the API token; it is checked against the provider (a refused token
    raises ApiTokenRejected in e-Boekhouden's words) and only then stored, encrypted."""
    ADAPTER.check_api_token(base_url, api_token or "")
    return control.create_integration(
        organisation_id, ADAPTER.spec.slug, ADAPTER.spec.name, ADAPTER.spec.auth_kind,
        credentials={"api_token": api_token}, environment=environment, base_url=base_url)


class EBoekhoudenSandboxProvider(SandboxProvider):
    slug = "eboekhouden"
    environments = ("default",)
    default_ports = {"default": 8741}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> EBoekhoudenSandbox:
        options = {"requests_per_minute": 1_000_000} if relaxed_limits else {}
        return EBoekhoudenSandbox(state_path, day, **options)

    def wsgi_app(self, emulator: EBoekhoudenSandbox):
        return create_app(emulator)

    def credentials_handout(self, emulator: EBoekhoudenSandbox, state_dir: Path) -> str:
        # What e-Boekhouden shows under Beheer > Instellingen > API when a token is created.
        token = emulator.api_token or emulator.issue_api_key()
        path = state_dir / "eboekhouden_api_token"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(token, encoding="utf-8")
        return (f"API token in {path}: MONITR_API_TOKEN=$(cat {path}) "
                "monitr connect eboekhouden --sandbox")

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: EBoekhoudenSandbox) -> int:
        return connect_with_api_token(control, organisation_id, environment, base_url,
                                      emulator.api_token)
