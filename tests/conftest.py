"""Shared fixtures: an isolated MONITR_HOME, the emulators on ephemeral ports, a seeded organisation."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.settings import Settings

_MONITR_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
                     "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


# werkzeug's serve_forever looks for a shutdown request every 0.5 s, and a sandbox stops its
# emulators one after another: 2-3 s of every test that starts one went into waiting for that.
_EMULATOR_POLL_SECONDS = 0.05


@pytest.fixture(autouse=True, scope="session")
def _emulators_stop_promptly() -> Iterator[None]:
    from monitr_sandbox.server import EmulatorServer

    def start(self: EmulatorServer) -> EmulatorServer:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": _EMULATOR_POLL_SECONDS},
                                        daemon=True, name=self._thread.name)
        self._thread.start()
        return self

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EmulatorServer, "start", start)
        yield


@pytest.fixture
def monitr_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in _MONITR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "monitr"
    monkeypatch.setenv("MONITR_HOME", str(home))
    return home


@pytest.fixture
def settings(monitr_home: Path) -> Settings:
    return Settings.from_env()


@pytest.fixture
def control(settings: Settings) -> ControlPlane:
    return ControlPlane.from_settings(settings)


@pytest.fixture
def sandbox(request: pytest.FixtureRequest, settings: Settings) -> Iterator:
    """Every emulator (or the module's WORLD_PROVIDERS') over real HTTP on 127.0.0.1 (ephemeral
    ports), quotas high enough for tests."""
    from monitr_sandbox.organisation import start_sandbox

    with start_sandbox(settings.sandbox_dir, day=0, ports={}, relaxed_limits=True,
                       providers=_world_providers(request)) as running:
        yield running


@pytest.fixture
def seeded(control: ControlPlane, sandbox) -> int:
    """The sandbox organisation, connected through the real OAuth flow; returns its id."""
    from monitr_sandbox.organisation import seed_organisation

    return seed_organisation(control, sandbox)


@pytest.fixture
def instance(settings: Settings):
    from monitr_pipeline.instance import monitr_instance

    instance = monitr_instance(settings)
    yield instance
    instance.dispose()


def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    # Keep the environment clean of a developer's MONITR_* settings even for collection-time code.
    for name in _MONITR_VARIABLES:
        os.environ.pop(name, None)


@dataclass
class SandboxWorld:
    """One MONITR_HOME with its control plane, the emulators, the sandbox organisation seeded and
    its partitions made, and the Dagster instance: what a module of end-to-end tests shares."""

    home: Path
    settings: Settings
    control: ControlPlane
    sandbox: object
    instance: object
    organisation_id: int

    def connections(self, provider: str) -> list:
        return self.control.connections(provider)


@contextmanager
def _sandbox_world(home: Path, providers: tuple[str, ...] | None = None
                   ) -> Iterator[SandboxWorld]:
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.runner import sync_partitions
    from monitr_sandbox.organisation import seed_organisation, start_sandbox

    with pytest.MonkeyPatch.context() as patch:
        for name in _MONITR_VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(home))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        with start_sandbox(settings.sandbox_dir, day=0, ports={}, relaxed_limits=True,
                           providers=providers) as sandbox:
            organisation_id = seed_organisation(control, sandbox)
            instance = monitr_instance(settings)
            sync_partitions(control, instance)
            yield SandboxWorld(home, settings, control, sandbox, instance, organisation_id)
            instance.dispose()


def _world_providers(request: pytest.FixtureRequest) -> tuple[str, ...] | None:
    """The providers a module's world is made of: its WORLD_PROVIDERS (an accounting platform
    first when it has CSV uploads), else every provider of the sandbox."""
    return getattr(request.module, "WORLD_PROVIDERS", None)


@pytest.fixture(scope="module")
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[SandboxWorld]:
    """The sandbox organisation for a whole module (seeding every provider costs a minute: once
    per module, and of the providers the module names in WORLD_PROVIDERS, keeps the suite inside
    CI's budget). Tests of one module see each other's imports and faults."""
    with _sandbox_world(tmp_path_factory.mktemp("world") / "monitr",
                        _world_providers(request)) as world:
        yield world


@pytest.fixture
def own_world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SandboxWorld]:
    """A world of the test's own, for a test in a module sharing `world` that needs a provider
    nobody has imported from yet (MONITR_HOME points at it for the test)."""
    with _sandbox_world(tmp_path / "monitr", _world_providers(request)) as world:
        yield world


POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def postgres_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """`with postgres_warehouse(label) as home:` a MONITR_HOME whose warehouse is a new PostgreSQL
    database (dropped afterwards), for a module that runs DuckDB tests again on the production
    warehouse. Without PostgreSQL on 127.0.0.1:5432 it skips, and fails under CI=true."""

    @contextmanager
    def warehouse(label: str) -> Iterator[Path]:
        import psycopg2

        try:
            admin = psycopg2.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3)
        except psycopg2.OperationalError as exc:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL must be reachable on 127.0.0.1:5432 in CI: {exc}")
            pytest.skip(f"no PostgreSQL on 127.0.0.1:5432 (start it to run these tests): {exc}")
        admin.autocommit = True
        database = f"monitr_test_{label}_{uuid.uuid4().hex[:8]}"
        with admin.cursor() as cursor:
            cursor.execute(f'create database "{database}"')
        home = tmp_path_factory.mktemp(f"{label}_pg")
        try:
            with pytest.MonkeyPatch.context() as patch:
                for name in _MONITR_VARIABLES:
                    patch.delenv(name, raising=False)
                patch.setenv("MONITR_HOME", str(home / "monitr"))
                patch.setenv("MONITR_WAREHOUSE_URL", f"{POSTGRES_SERVER}/{database}")
                yield home
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f'drop database if exists "{database}" with (force)')
            admin.close()

    return warehouse
