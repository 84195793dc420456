"""The Yuki emulators in the sandbox: one per host (nl, be), each one domain with its access key."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.connections.lifecycle import connect_with_credentials
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.yuki import ADAPTER
from monitr_sandbox.provider import SandboxProvider
from monitr_sandbox.yuki.app import create_app
from monitr_sandbox.yuki.domains import SANDBOX_DOMAINS
from monitr_sandbox.yuki.sandbox import YukiSandbox

RELAXED_DAILY_CALLS = 1_000_000


def connect_with_access_key(control: ControlPlane, organisation_id: int, environment: str | None,
                            base_url: str, access_key: str | None) -> int:
    """What a user does: paste the WebServiceAccessKey; Yuki is asked with it (Authenticate,
    Administrations) and only then is it stored, encrypted."""
    return connect_with_credentials(control, ADAPTER, organisation_id, environment=environment,
                                    base_url_override=base_url,
                                    credentials={"access_key": access_key or ""})


class YukiSandboxProvider(SandboxProvider):
    slug = "yuki"
    environments = tuple(SANDBOX_DOMAINS)
    default_ports = {"nl": 8771, "be": 8772}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> YukiSandbox:
        options = {"daily_call_limit": RELAXED_DAILY_CALLS} if relaxed_limits else {}
        return YukiSandbox(environment, state_path, day, **options)

    def wsgi_app(self, emulator: YukiSandbox):
        return create_app(emulator)

    def credentials_handout(self, emulator: YukiSandbox, state_dir: Path) -> str:
        # What Yuki shows under Instellingen > Webservices when a key is created.
        key = emulator.access_key or emulator.issue_api_key()
        path = state_dir / f"yuki_{emulator.environment}_access_key"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(key, encoding="utf-8")
        return (f"Yuki ({emulator.environment}) access key in {path}: MONITR_ACCESS_KEY=$(cat "
                f"{path}) monitr connect yuki --sandbox --environment {emulator.environment}")

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: YukiSandbox) -> int:
        return connect_with_access_key(control, organisation_id, environment, base_url,
                                       emulator.access_key)
