"""Production mode for real: control plane, warehouse and Dagster storage all on PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest

pytestmark = pytest.mark.postgres

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _connect_admin():
    import psycopg2

    try:
        connection = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must be reachable on 127.0.0.1:5432 in CI: {exc}")
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432 (start it to run these tests): {exc}")
    connection.autocommit = True
    return connection


@pytest.fixture
def postgres_databases(monitr_home, monkeypatch):
    admin = _connect_admin()
    suffix = uuid.uuid4().hex[:8]
    names = {role: f"monitr_test_{role}_{suffix}" for role in ("control", "warehouse", "dagster")}
    with admin.cursor() as cursor:
        for name in names.values():
            cursor.execute(f'create database "{name}"')
    monkeypatch.setenv("MONITR_CONTROL_DB_URL",
                       f"postgresql+psycopg2://postgres@127.0.0.1:5432/{names['control']}")
    monkeypatch.setenv("MONITR_WAREHOUSE_URL",
                       f"postgresql://postgres@127.0.0.1:5432/{names['warehouse']}")
    monkeypatch.setenv("MONITR_DAGSTER_PG_URL",
                       f"postgresql://postgres@127.0.0.1:5432/{names['dagster']}")
    yield names
    from monitr_pipeline.control.db import engine_for

    engine_for.cache_clear()
    with admin.cursor() as cursor:
        for name in names.values():
            cursor.execute(f'drop database if exists "{name}" with (force)')
    admin.close()


def test_import_and_transforms_on_postgres(postgres_databases):
    from monitr_pipeline.control.service import ControlPlane
    from monitr_pipeline.definitions import defs
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.runner import run_import, run_transforms, sync_partitions
    from monitr_sandbox.organisation import seed_organisation, start_sandbox
    from monitr_pipeline.settings import Settings
    from monitr_pipeline.warehouse import entry_balance, query

    settings = Settings.from_env()
    assert settings.warehouse_kind == "postgres"
    control = ControlPlane.from_settings(settings)
    instance = monitr_instance(settings)
    try:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        with start_sandbox(settings.sandbox_dir, ports={}, relaxed_limits=True) as sandbox:
            seed_organisation(control, sandbox)
            sync_partitions(control, instance)
            connection = control.connections("exact_online")[0]
            outcome = run_import(defs, instance, control, connection)
            assert outcome.success
            emulator = sandbox.emulators[("exact_online", "nl")]
            ledger = emulator.ledger(int(connection.external_id))
            expected = sum(len(e.lines) for e in ledger.entries.values())
        [(loaded,)] = query(settings, "select count(*) from raw_exact_online.gl_transaction_lines "
                                      "where _monitr_entity_id = %s" % connection.entity_id)
        assert loaded == expected
        assert run_transforms(defs, instance)
        entries, unbalanced = entry_balance(settings)[connection.entity_id]
        assert entries > 0 and unbalanced == 0
        assert control.import_statuses("exact_online")[0].status == "Succeeded"
        assert instance.get_run_by_id(outcome.run_id).is_success
    finally:
        instance.dispose()
