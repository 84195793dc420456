"""The whole Definitions load; every provider table is an asset that a dbt source points at."""

import yaml

from monitr_pipeline.assets.imports import raw_asset_key
from monitr_pipeline.definitions import defs
from monitr_pipeline.ingestion.source import column_name
from monitr_pipeline.providers.registry import adapters
from monitr_pipeline.settings import DBT_PROJECT_DIR


def _dbt_sources() -> dict[tuple[str, str], dict]:
    sources = {}
    for path in (DBT_PROJECT_DIR / "models").rglob("*.yml"):
        for source in (yaml.safe_load(path.read_text()) or {}).get("sources", []):
            for table in source.get("tables", []):
                sources[(source["name"], table["name"])] = {**table, "schema": source.get("schema")}
    return sources


def test_every_provider_table_is_an_asset_and_a_dbt_source():
    asset_graph = defs.resolve_asset_graph()
    sources = _dbt_sources()
    for slug, adapter in adapters().items():
        for endpoint in adapter.spec.endpoints:
            key = raw_asset_key(slug, endpoint.table)
            assert asset_graph.has(key), key
            source = sources[(slug, endpoint.table)]
            assert source["schema"] == adapter.spec.dataset_name
            assert source["meta"]["dagster"]["asset_key"] == list(key.path)
            declared = {c["name"] for c in source.get("columns", [])}
            expected = {column_name(field) for field in endpoint.columns}
            assert expected <= declared, (endpoint.table, expected - declared)


def test_dbt_marts_are_downstream_of_the_raw_tables():
    asset_graph = defs.resolve_asset_graph()
    lines = raw_asset_key("exact_online", "gl_transaction_lines")
    downstream = {k.to_user_string() for k in asset_graph.get(lines).child_keys}
    assert any(k.startswith("staging/") for k in downstream), downstream


def test_import_jobs_schedules_and_sensors_exist():
    for slug in adapters():
        assert defs.resolve_job_def(f"import_{slug}").partitions_def.name == f"{slug}__connections"
        schedule = defs.resolve_schedule_def(f"nightly_{slug}")
        assert schedule.execution_timezone == "Europe/Amsterdam"
        assert schedule.cron_schedule == "0 1,4 * * *"
        assert schedule.default_status.value == "RUNNING"
    for name in ("entity_partitions_sync", "import_failure_status", "transforms_after_imports"):
        assert defs.resolve_sensor_def(name).default_status.value == "RUNNING"
