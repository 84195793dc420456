"""monitr.import_status in both warehouses: each refresh replaces the board whole."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from monitr_pipeline.control.service import EntityImportStatus
from monitr_pipeline.import_status_table import QUALIFIED_TABLE, status_rows, write_import_status
from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import query

NOW = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)


def _status(key: str, status: str, error: str | None = None) -> EntityImportStatus:
    # As SQLite hands them back: naive, in UTC.
    requested = (NOW - timedelta(minutes=5)).replace(tzinfo=None)
    return EntityImportStatus(
        partition_key=key, provider="exact_online", entity_name=f"Entity {key}",
        organisation_slug="demo", status=status, requested_at=requested,
        finished_at=NOW.replace(tzinfo=None) if status == "Failed" else None, rows_loaded=None,
        error=error, entity_id=7, integration_health="healthy", trigger="schedule")


def _replaces_the_board(settings: Settings) -> None:
    write_import_status(settings, status_rows(
        [_status("a", "Failed", "token expired"), _status("b", "Waiting")], NOW), "test")
    write_import_status(settings, status_rows([_status("b", "In Progress")], NOW), "test")
    rows = query(settings, f"select partition_key, status, error, requested_at, refreshed_at "
                           f"from {QUALIFIED_TABLE}")
    assert [(key, status, error) for key, status, error, *_ in rows] == [("b", "In Progress", None)]
    [(*_, requested_at, refreshed_at)] = rows
    assert (requested_at, refreshed_at) == (NOW - timedelta(minutes=5), NOW)
    write_import_status(settings, [], "test")
    assert query(settings, f"select count(*) from {QUALIFIED_TABLE}") == [(0,)]


def test_duckdb_board_is_replaced_whole(settings):
    _replaces_the_board(settings)


@pytest.mark.postgres
def test_postgres_board_is_replaced_whole(monitr_home):
    psycopg2 = pytest.importorskip("psycopg2")
    server = "postgresql://postgres@127.0.0.1:5432"
    admin_url = f"{server}/postgres"
    try:
        admin = psycopg2.connect(admin_url, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432: {exc}")
    admin.autocommit = True
    name = f"monitr_test_board_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    try:
        settings = Settings.from_env({"MONITR_HOME": str(monitr_home),
                                      "MONITR_WAREHOUSE_URL": f"{server}/{name}"})
        _replaces_the_board(settings)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')
        admin.close()
