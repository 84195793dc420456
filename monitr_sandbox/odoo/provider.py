"""The Odoo emulator in the sandbox: one database with a Dutch and a Belgian company, connected
with the bot user's login and API key."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.odoo.app import create_app
from monitr_sandbox.odoo.sandbox import OdooSandbox
from monitr_sandbox.provider import SandboxProvider


def connect_with_api_key(control: ControlPlane, organisation_id: int, environment: str | None,
                         base_url: str, database: str, login: str, api_key: str | None) -> int:
    """What a user does: give the URL, database, login and API key; they are checked against
    Odoo (a refused key raises CredentialsRejected in Odoo's words) and only then stored."""
    from monitr_pipeline.connections.lifecycle import connect_with_credentials
    from monitr_pipeline.providers.odoo import ADAPTER

    credentials = {"url": base_url, "database": database, "username": login,
                   "api_key": api_key or ""}
    return connect_with_credentials(control, ADAPTER, organisation_id,
                                    environment=environment, base_url_override=base_url,
                                    credentials=credentials)


class OdooSandboxProvider(SandboxProvider):
    slug = "odoo"
    environments = ("default",)
    default_ports = {"default": 8761}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> OdooSandbox:
        return OdooSandbox(state_path, day)  # Odoo documents no rate limits

    def wsgi_app(self, emulator: OdooSandbox):
        return create_app(emulator)

    def credentials_handout(self, emulator: OdooSandbox, state_dir: Path) -> str:
        # What Odoo shows once under Preferences > Account Security > New API Key.
        key = emulator.api_key or emulator.issue_api_key()
        path = state_dir / "odoo_api_key"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(key, encoding="utf-8")
        return (f"API key in {path} (database {emulator.database_name}, login {emulator.login}): "
                f"MONITR_API_TOKEN=$(cat {path}) monitr connect odoo --sandbox")

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: OdooSandbox) -> int:
        return connect_with_api_key(control, organisation_id, environment, base_url,
                                    emulator.database_name, emulator.login, emulator.api_key)
