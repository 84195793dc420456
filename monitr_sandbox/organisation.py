"""The sandbox organisation: every provider's emulators, and the organisation connected to them."""

from __future__ import annotations

from collections.abc import Collection
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from monitr_pipeline.connections.connect import (
    discover,
    hinted_entity,
    link_entities,
    select_administrations,
)
from monitr_pipeline.control.models import ConnectionKind
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter
from monitr_pipeline.providers.registry import adapter_for
from monitr_sandbox.control_api import with_controls
from monitr_sandbox.provider import sandbox_providers
from monitr_sandbox.server import EmulatorServer

ORGANISATION_SLUG = "demo"
ORGANISATION_NAME = "Demo Accountancy (sandbox)"


@dataclass
class RunningSandbox:
    """Emulators serving on loopback; `urls[(provider, environment)]` is each one's base URL."""

    emulators: dict[tuple[str, str], object] = field(default_factory=dict)
    urls: dict[tuple[str, str], str] = field(default_factory=dict)
    _stack: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_sandbox(state_dir: Path, day: int = 0, ports: dict | None = None,
                  relaxed_limits: bool = False,
                  providers: Collection[str] | None = None) -> RunningSandbox:
    """Start every provider's emulators (or those of `providers`); `day` replays that many days
    of bookkeeping.

    `ports` maps (provider, environment) to a port; None means each provider's fixed demo ports
    (the Dagster UI and CLI reach the same emulators), {} means ephemeral ports (tests).
    """
    sandbox = RunningSandbox()
    state_dir.mkdir(parents=True, exist_ok=True)
    known = sandbox_providers()
    unknown = set(providers or ()) - set(known)
    if unknown:
        raise KeyError(f"the sandbox has no provider {', '.join(sorted(unknown))}")
    for slug, provider in known.items():
        if providers is not None and slug not in providers:
            continue
        for environment in provider.environments:
            key = (slug, environment)
            port = provider.default_ports.get(environment, 0) if ports is None else ports.get(key, 0)
            emulator = provider.create_emulator(environment, state_dir / f"{slug}_{environment}.json",
                                                day, relaxed_limits)
            sandbox._stack.callback(provider.close, emulator)
            app = provider.wsgi_app(emulator)
            sandbox.emulators[key] = emulator
            if app is None:
                sandbox.urls[key] = provider.location(emulator)
                continue
            served = with_controls(app, emulator)
            sandbox.urls[key] = sandbox._stack.enter_context(EmulatorServer(served, port)).url
    return sandbox


def seed_organisation(control: ControlPlane, sandbox: RunningSandbox) -> int:
    """Connect the sandbox organisation to every emulator and select every administration."""
    organisation_id = control.ensure_organisation(ORGANISATION_SLUG, ORGANISATION_NAME)
    providers = sandbox_providers()
    # As a user onboards: accounting platforms first (a file upload cannot be an organisation's
    # first), then what sits beside the entities they made (CRM, payroll, annual accounts).
    in_onboarding_order = sorted(sandbox.urls.items(), key=lambda item: _onboarding_step(item[0][0]))
    for (slug, environment), url in in_onboarding_order:
        adapter = adapter_for(slug)
        existing = control.find_integration(organisation_id, slug, environment)
        if existing is not None:
            # Emulators may come up on other ports than last time (tests use ephemeral ones).
            control.set_base_url(existing, url)
            continue
        integration_id = providers[slug].connect(control, organisation_id, environment, url,
                                                 sandbox.emulators[(slug, environment)])
        visible = discover(control, adapter, integration_id)
        if adapter.spec.connection_kind == ConnectionKind.ACCOUNTING.value:
            select_administrations(control, adapter, integration_id, visible)
        else:
            assign_beside_entities(control, adapter, organisation_id, integration_id, visible)
    return organisation_id


def _onboarding_step(slug: str) -> tuple[bool, bool]:
    spec = adapter_for(slug).spec
    return (spec.connection_kind != ConnectionKind.ACCOUNTING.value,
            spec.auth_kind == "file_upload")


def assign_beside_entities(control: ControlPlane, adapter: ProviderAdapter, organisation_id: int,
                           integration_id: int, visible: list[Administration]) -> list:
    """A CRM, payroll or annual-accounts administration joins the entity the provider links it
    to (Administration.entity_hint), else the entity of the same name, as a user of the sandbox
    would pick it (the emulators name their accounts after the entities' administrations); one
    with neither is left unselected. A provider that keeps links is told the new ones."""
    entities = {name.casefold(): entity_id
                for entity_id, name in control.entities(organisation_id).items()}
    joined = []
    for administration in visible:
        entity_id = (hinted_entity(control, organisation_id, administration)
                     or entities.get(administration.name.casefold()))
        if entity_id is not None:
            joined.append((administration, control.connect_entity(
                integration_id, administration.external_id, administration.name,
                adapter.spec.connection_kind, entity_id=entity_id)))
    link_entities(control, adapter, integration_id, joined)
    return [connection for _, connection in joined]
