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


def test_every_asset_has_an_owner_and_every_check_a_description():
    graph = defs.resolve_asset_graph()
    assert [n.key for n in graph.asset_nodes if not n.owners] == []
    assert [key for key in graph.asset_check_keys
            if not graph.get_check_spec(key).description] == []
    # dbt's generic tests say what they test; no check reads as bare SQL.
    described = [graph.get_check_spec(key).description for key in graph.asset_check_keys]
    assert not [d for d in described if d.lower().startswith(("raw sql", "select"))]


def test_import_jobs_schedules_and_sensors_exist():
    for slug in adapters():
        assert defs.resolve_job_def(f"import_{slug}").partitions_def.name == f"{slug}__connections"
        schedule = defs.resolve_schedule_def(f"nightly_{slug}")
        assert schedule.execution_timezone == "Europe/Amsterdam"
        assert schedule.cron_schedule == "0 1,4 * * *"
        assert schedule.default_status.value == "RUNNING"
    for name in ("entity_partitions_sync", "import_failure_status", "transforms_after_imports"):
        assert defs.resolve_sensor_def(name).default_status.value == "RUNNING"


_WITHOUT_SANDBOX = """
import contextlib, importlib.abc, io, json, sys

class NoSandbox(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "monitr_sandbox" or name.startswith("monitr_sandbox."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoSandbox())
import monitr_pipeline.definitions
from monitr_pipeline.cli import main
# Each command in turn in this one interpreter (importing the pipeline is what takes the time):
# its exit code and what it wrote to stderr, as JSON on the last line.
outcomes = {}
for command in sys.argv[1:]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([command])
    outcomes[command] = [code, err.getvalue()]
print(json.dumps(outcomes))
"""


def test_definitions_load_and_the_cli_says_what_is_missing_without_the_sandbox(tmp_path):
    """Production images leave the sandbox package out: nothing in production imports it, and
    the commands that need it (the demo, the emulators) say so instead of a traceback."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "MONITR_HOME": str(tmp_path)}
    child = subprocess.run([sys.executable, "-c", _WITHOUT_SANDBOX, "status", "sandbox"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr
    outcomes = json.loads(child.stdout.splitlines()[-1])
    status_code, status_err = outcomes["status"]
    assert status_code == 0, status_err
    sandbox_code, sandbox_err = outcomes["sandbox"]
    assert sandbox_code == 2
    assert "needs the sandbox package (monitr_sandbox)" in sandbox_err
    assert "Traceback" not in sandbox_err


def test_production_code_never_imports_the_sandbox_at_module_level():
    import ast
    from pathlib import Path

    import monitr_pipeline

    offenders = []
    for path in Path(monitr_pipeline.__file__).parent.rglob("*.py"):
        for node in ast.parse(path.read_text()).body:
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "monitr_sandbox" for name in names):
                offenders.append(str(path))
    assert offenders == []
