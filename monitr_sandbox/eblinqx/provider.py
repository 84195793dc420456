"""The eBlinqx Fiscaal emulator in the sandbox: one account whose API key the sandbox user
pastes; its companies join the sandbox entities they are linked to (monitrClientId), else those
of their names, and are linked to them (monitr_sandbox/organisation.py)."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.connections.lifecycle import connect_with_credentials
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.eblinqx import ADAPTER
from monitr_sandbox.eblinqx.app import create_app
from monitr_sandbox.eblinqx.sandbox import EBlinqxSandbox
from monitr_sandbox.provider import SandboxProvider

# The company an accountant linked in eBlinqx Fiscaal before Monitr connected: it joins its
# entity by that link, the others by name.
LINKED_BEFORE = "Smit Vastgoed B.V."


def connect_with_api_key(control: ControlPlane, organisation_id: int, environment: str | None,
                         base_url: str, api_key: str | None) -> int:
    """What a user does: paste the API key; eBlinqx is asked for the account's companies (a
    refused key raises CredentialsRejected in its words) and only then is it stored, encrypted."""
    return connect_with_credentials(control, ADAPTER, organisation_id, environment=environment,
                                    base_url_override=base_url,
                                    credentials={"api_key": api_key or ""})


class EBlinqxSandboxProvider(SandboxProvider):
    slug = "eblinqx"
    environments = ("default",)
    default_ports = {"default": 8807}

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> EBlinqxSandbox:
        options = {"rate_limit": 1_000_000} if relaxed_limits else {}
        return EBlinqxSandbox(state_path, day, **options)

    def wsgi_app(self, emulator: EBlinqxSandbox):
        return create_app(emulator)

    def credentials_handout(self, emulator: EBlinqxSandbox, state_dir: Path) -> str:
        # What eBlinqx Fiscaal shows once under Instellingen > Koppelingen > Financial data API.
        key = emulator.api_key or emulator.issue_api_key()
        path = state_dir / "eblinqx_api_key"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(key, encoding="utf-8")
        return f"API key in {path}: MONITR_API_KEY=$(cat {path}) monitr connect eblinqx --sandbox"

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: EBlinqxSandbox) -> int:
        link_before(control, organisation_id, emulator)
        return connect_with_api_key(control, organisation_id, environment, base_url,
                                    emulator.api_key)


def link_before(control: ControlPlane, organisation_id: int, emulator: EBlinqxSandbox) -> None:
    """The accountant entered the Monitr entity of one company in eBlinqx Fiscaal already (when
    that entity exists and the company has no link yet)."""
    entities = {name.casefold(): entity_id
                for entity_id, name in control.entities(organisation_id).items()}
    entity_id = entities.get(LINKED_BEFORE.casefold())
    company = emulator.company_named(LINKED_BEFORE)
    if entity_id is not None and company.monitr_client_id is None:
        emulator.link(company.company_id, control.entity_reference(entity_id))
