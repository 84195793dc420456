"""monitr.account_mapping_overrides in both warehouses: each export writes exactly the control
plane's overrides, replacing the previous ones whole."""

from datetime import UTC, datetime

import pytest

from monitr_pipeline.account_mapping_table import (
    QUALIFIED_TABLE,
    export_account_mapping_overrides,
)
from monitr_pipeline.control.models import AccountMappingOverride, Entity
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import query

UPDATED = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)


def _add_overrides(control: ControlPlane, *overrides: tuple) -> None:
    """(organisation slug, entity name or None, account, standard code, note) each."""
    organisations = {slug: control.ensure_organisation(slug, slug.title())
                     for slug, *_ in overrides}
    with control.session() as s:
        for slug, entity_name, account_code, standard_code, note in overrides:
            organisation_id = organisations[slug]
            entity_id = None
            if entity_name:
                entity = Entity(organisation_id=organisation_id, name=entity_name)
                s.add(entity)
                s.flush()
                entity_id = entity.id
            s.add(AccountMappingOverride(
                organisation_id=organisation_id, entity_id=entity_id, account_code=account_code,
                standard_code=standard_code, note=note, updated_at=UPDATED))


def _in_control_plane(control: ControlPlane) -> list[tuple]:
    with control.session() as s:
        return sorted(((o.organisation_id, o.entity_id, o.account_code, o.standard_code, o.note)
                       for o in s.query(AccountMappingOverride)), key=repr)


def _in_warehouse(settings: Settings) -> list[tuple]:
    return sorted(query(settings, "select organisation_id, entity_id, account_code, "
                                  f"standard_code, note from {QUALIFIED_TABLE}"), key=repr)


def _exports_exactly_the_overrides(settings: Settings) -> None:
    control = ControlPlane.from_settings(settings)
    _add_overrides(control, ("acme", None, "1000", "BLimKasKas", "petty cash"),
                   ("acme", "Bakery", "8000", "WOmzNop", None),
                   ("globex", None, "700000", "700", None))
    assert export_account_mapping_overrides(settings, control, "test") == 3
    expected = _in_control_plane(control)
    assert len(expected) == 3
    assert _in_warehouse(settings) == expected
    assert query(settings, f"select distinct updated_at from {QUALIFIED_TABLE}") == [(UPDATED,)]
    # dbt's staging view reads the table: the next export must not need to drop it (PostgreSQL
    # refuses to drop a table a view depends on).
    _create_view_over_the_table(settings)

    # A removed override leaves the warehouse with the next export: replaced whole.
    with control.session() as s:
        s.query(AccountMappingOverride).filter_by(account_code="1000").delete()
    assert export_account_mapping_overrides(settings, control, "test") == 2
    assert _in_warehouse(settings) == [row for row in expected if row[2] != "1000"]

    with control.session() as s:
        s.query(AccountMappingOverride).delete()
    assert export_account_mapping_overrides(settings, control, "test") == 0
    assert query(settings, f"select count(*) from {QUALIFIED_TABLE}") == [(0,)]


def _create_view_over_the_table(settings: Settings) -> None:
    statement = f"create view public_overrides_view as select * from {QUALIFIED_TABLE}"
    if settings.warehouse_url:
        import psycopg2

        with psycopg2.connect(settings.warehouse_url) as connection, connection.cursor() as cursor:
            cursor.execute(statement)
        connection.close()
        return
    import duckdb

    with duckdb.connect(str(settings.duckdb_path)) as connection:
        connection.execute(statement)


def test_duckdb_export_writes_exactly_the_overrides(settings):
    _exports_exactly_the_overrides(settings)


def test_duckdb_export_inside_the_callers_lock(settings, control):
    """The dbt build holds the warehouse lock, which is not re-entrant: with lock_held the
    export takes no second turn (it would wait for itself forever)."""
    from monitr_pipeline.warehouse import warehouse_lock

    _add_overrides(control, ("acme", None, "1000", "BLim", None))
    with warehouse_lock(settings, "a dbt build"):
        assert export_account_mapping_overrides(settings, control, "test", lock_held=True) == 1
    assert _in_warehouse(settings) == _in_control_plane(control)


@pytest.mark.postgres
def test_postgres_export_writes_exactly_the_overrides(postgres_warehouse):
    with postgres_warehouse("mapping_overrides"):
        settings = Settings.from_env()
        assert settings.warehouse_url
        _exports_exactly_the_overrides(settings)
