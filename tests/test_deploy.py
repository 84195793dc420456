"""The Kubernetes deployment (Dockerfile, deploy/) held to the embedded instance it must mirror.

deploy/dagster.yaml is loaded into a real DagsterInstance with dagster-k8s installed. Only its
storage is swapped for SQLite (dagster-postgres connects when opened; the Postgres sections are
checked against dagster-postgres' own config schema instead), so no database or cluster is needed.
"""

from __future__ import annotations

import copy
import importlib
import json
import re
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from dagster import DagsterInstance
from dagster._config import process_config
from dagster._core.run_coordinator import QueuedRunCoordinator
from dagster_k8s import K8sRunLauncher
from dagster_postgres.utils import pg_url_from_config

from monitr_pipeline.instance import instance_config
from monitr_pipeline.providers.registry import adapters
from monitr_pipeline.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"
STORAGE_SECTIONS = ("run_storage", "event_log_storage", "schedule_storage")
# What every pod must be given, as Settings reads it (checked against Settings.from_env below).
REQUIRED_SETTINGS = ("MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL", "MONITR_SECRET_KEY")


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="module")
def deployed_config() -> dict:
    return _yaml(DEPLOY / "dagster.yaml")


@pytest.fixture(scope="module")
def values() -> dict:
    return _yaml(DEPLOY / "helm" / "values.yaml")


@pytest.fixture(scope="module")
def secrets_template() -> dict:
    return _yaml(DEPLOY / "monitr-secrets.example.yaml")


def _production_settings(home: Path) -> Settings:
    """The settings of a pod: Postgres for the control plane, the warehouse and Dagster."""
    return Settings.from_env({
        "MONITR_HOME": str(home),
        "MONITR_CONTROL_DB_URL": "postgresql+psycopg2://monitr@postgres:5432/monitr_control",
        "MONITR_WAREHOUSE_URL": "postgresql://monitr@postgres:5432/monitr_warehouse",
        "MONITR_DAGSTER_PG_URL": "postgresql://dagster@postgres:5432/dagster",
    })


def _on_sqlite(config: dict, directory: Path) -> DagsterInstance:
    """A real instance from `config`, its storage (only) on SQLite in `directory`."""
    config = copy.deepcopy(config)
    for section in (*STORAGE_SECTIONS, "storage"):
        config.pop(section, None)
    config["storage"] = {"sqlite": {"base_dir": str(directory / "storage")}}
    directory.mkdir(parents=True)
    (directory / "dagster.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return DagsterInstance.from_config(str(directory))


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[DagsterInstance]:
    instance = _on_sqlite(instance_config(_production_settings(tmp_path / "home")),
                          tmp_path / "embedded")
    yield instance
    instance.dispose()


@pytest.fixture
def deployed(tmp_path: Path, deployed_config: dict,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[DagsterInstance]:
    # In a pod the service account's token configures the Kubernetes client; here nothing does.
    monkeypatch.setattr("kubernetes.config.load_incluster_config", lambda *args, **kwargs: None)
    instance = _on_sqlite(deployed_config, tmp_path / "deployed")
    yield instance
    instance.dispose()


def _names(env_sources: list[dict] | None) -> list[str]:
    return [source["name"] for source in env_sources or []]


def _user_deployment(values: dict) -> dict:
    [deployment] = values["dagster-user-deployments"]["deployments"]
    return deployment


def test_runs_are_kubernetes_jobs_through_the_run_queue(deployed, values, secrets_template):
    launcher = deployed.run_launcher
    assert isinstance(launcher, K8sRunLauncher)
    assert launcher.load_incluster_config
    assert launcher.job_namespace == "monitr"
    assert launcher.instance_config_map == "dagster-instance"
    assert launcher.postgres_password_secret == values["global"]["postgresqlSecretName"]
    # Every run pod gets the MONITR_* settings.
    assert secrets_template["metadata"]["name"] in launcher.env_secrets
    assert isinstance(deployed.run_coordinator, QueuedRunCoordinator)


def test_run_limits_and_pools_are_the_embedded_instances(deployed, embedded):
    deployed_limits = deployed.get_concurrency_config()
    embedded_limits = embedded.get_concurrency_config()
    # max_concurrent_runs, the one-run-per-partition tag limit, the pools' default limit, ...
    assert deployed_limits == embedded_limits
    assert deployed_limits.pool_config.default_pool_limit is not None  # every pool is limited
    assert deployed.run_monitoring_enabled == embedded.run_monitoring_enabled
    assert deployed.get_settings("python_logs") == embedded.get_settings("python_logs")
    assert deployed.get_settings("telemetry") == embedded.get_settings("telemetry")


def test_dagster_storage_is_dagster_postgres_from_the_password_secret(
        deployed_config, values, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", "from-the-secret")
    embedded_db = instance_config(_production_settings(tmp_path))["storage"]["postgres"]["postgres_db"]
    for section in STORAGE_SECTIONS:
        declared = deployed_config[section]
        storage_class = getattr(importlib.import_module(declared["module"]), declared["class"])
        assert declared["module"].startswith("dagster_postgres.")
        result = process_config(storage_class.config_type(), declared["config"])
        assert result.success, (section, result.errors)
        postgres_db = result.value["postgres_db"]
        # The same workaround as the embedded instance (SQLAlchemy 2.1 and psycopg 3).
        assert postgres_db["scheme"] == embedded_db["scheme"]
        assert pg_url_from_config(result.value).startswith(
            f"{embedded_db['scheme']}://dagster:from-the-secret@")
        assert declared["config"]["postgres_db"]["password"] == {"env": "DAGSTER_PG_PASSWORD"}


def test_values_render_to_the_deployed_instance(values, deployed_config):
    """deploy/dagster.yaml is what the chart makes of deploy/helm/values.yaml."""
    # The queue: the queued run coordinator, its limits in `concurrency` only (Dagster refuses both).
    daemon = values["dagsterDaemon"]
    coordinator = daemon["runCoordinator"]
    assert daemon["enabled"] and coordinator["enabled"]
    assert coordinator["type"] == deployed_config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert not any(coordinator["config"]["queuedRunCoordinator"].values())
    assert "config" not in deployed_config["run_coordinator"]
    concurrency = values["concurrency"]
    assert concurrency["enabled"]
    assert deployed_config["concurrency"] == {
        "pools": {"default_limit": concurrency["pools"]["defaultLimit"]},
        "runs": {"max_concurrent_runs": concurrency["runs"]["maxConcurrentRuns"],
                 "tag_concurrency_limits": concurrency["runs"]["tagConcurrencyLimits"]},
    }
    # The launcher.
    k8s = values["runLauncher"]["config"]["k8sRunLauncher"]
    launcher = deployed_config["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", values["runLauncher"]["type"])
    assert launcher["config"]["load_incluster_config"] == k8s["loadInclusterConfig"]
    assert launcher["config"]["image_pull_policy"] == k8s["imagePullPolicy"]
    assert launcher["config"]["env_secrets"] == _names(k8s["envSecrets"])
    assert launcher["config"]["run_k8s_config"] == {
        "container_config": k8s["runK8sConfig"]["containerConfig"]}
    assert launcher["config"]["dagster_home"] == values["global"]["dagsterHome"]
    assert launcher["config"]["postgres_password_secret"] == values["global"]["postgresqlSecretName"]
    # Dagster's storage: the external server, the password from the secret.
    postgresql = values["postgresql"]
    assert not postgresql["enabled"] and not values["generatePostgresqlPasswordSecret"]
    for section in STORAGE_SECTIONS:
        assert deployed_config[section]["config"]["postgres_db"] == {
            "username": postgresql["postgresqlUsername"],
            "password": {"env": "DAGSTER_PG_PASSWORD"},
            "hostname": postgresql["postgresqlHost"],
            "db_name": postgresql["postgresqlDatabase"],
            "port": postgresql["service"]["port"],
            "params": postgresql["postgresqlParams"],
            "scheme": postgresql["postgresqlScheme"],
        }
    # The rest.
    monitoring = daemon["runMonitoring"]
    assert deployed_config["run_monitoring"] == {
        "enabled": monitoring["enabled"],
        "start_timeout_seconds": monitoring["startTimeoutSeconds"],
        "max_resume_run_attempts": monitoring["maxResumeRunAttempts"],
        "poll_interval_seconds": monitoring["pollIntervalSeconds"],
        "free_slots_after_run_end_seconds": monitoring["freeSlotsAfterRunEndSeconds"],
    }
    assert deployed_config["python_logs"] == {
        "python_log_level": values["pythonLogs"]["pythonLogLevel"],
        "managed_python_loggers": values["pythonLogs"]["managedPythonLoggers"],
    }
    assert deployed_config["telemetry"] == values["telemetry"]
    assert deployed_config["compute_logs"]["class"] == values["computeLogManager"]["type"]
    # The chart's version is the dagster version the project pins.
    assert f"--version {version('dagster')}" in (DEPLOY / "helm" / "values.yaml").read_text()


def test_code_location_image_serves_the_definitions(values, secrets_template):
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert pyproject["project"]["requires-python"] == ">=3.11,<3.12"
    [cmd] = re.findall(r"^CMD (\[.*\])$", dockerfile, re.M)
    cmd = json.loads(cmd)
    assert cmd[:3] == ["dagster", "api", "grpc"]
    module, port = cmd[cmd.index("--module-name") + 1], int(cmd[cmd.index("--port") + 1])
    # The real definitions module, named alike everywhere that starts the code location.
    assert module == pyproject["tool"]["dagster"]["module_name"]
    location = _yaml(PROJECT_ROOT / "workspace.yaml")["load_from"][0]["python_module"]
    assert module == location["module_name"]
    # Runs the CLI starts carry this location name, so the UI can re-execute them.
    from monitr_pipeline.job_runs import CODE_LOCATION

    assert location["location_name"] == CODE_LOCATION == pyproject["tool"]["dagster"][
        "code_location_name"]
    assert importlib.util.find_spec(module) is not None
    deployment = _user_deployment(values)
    assert deployment["dagsterApiGrpcArgs"] == ["-m", module]
    assert re.findall(r"^EXPOSE (\d+)$", dockerfile, re.M) == [str(port)] == [str(deployment["port"])]
    # The image's dagster-k8s is the one these tests load the instance with.
    [pinned] = re.findall(r"dagster-k8s==([\w.]+)", dockerfile)
    assert f"dagster-k8s=={pinned}" in pyproject["project"]["optional-dependencies"]["dev"]
    assert pinned == version("dagster-k8s")
    # The code location gets the MONITR_* secret; no secret is in the image.
    assert secrets_template["metadata"]["name"] in _names(deployment["envSecrets"])
    for name in (*secrets_template["stringData"], "DAGSTER_PG_PASSWORD"):
        assert name not in dockerfile, name
    # Only what it needs goes in: no sandbox, no local state.
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert ignored[ignored.index("*") + 1:][:3] == ["!pyproject.toml", "!monitr_pipeline/",
                                                  "!dbt_monitr/"]
    assert not any("monitr_sandbox" in line or ".monitr" in line
                   for line in ignored if line.startswith("!"))
    assert not re.search(r"^COPY (\.|monitr_sandbox)\b", dockerfile, re.M)


def test_secrets_template_names_what_every_pod_needs(secrets_template):
    read = set()

    class Recorder(dict):
        def get(self, key, default=None):
            read.add(key)
            return default

    Settings.from_env(Recorder())
    assert set(REQUIRED_SETTINGS) <= read  # still the names Settings reads
    # Our app registration at each OAuth provider, as `monitr connect` reads it (cli/connect.py).
    oauth = [f"MONITR_{slug.upper()}_{part}" for slug, adapter in adapters().items()
             if adapter.spec.auth_kind == "oauth2"
             for part in ("CLIENT_ID", "CLIENT_SECRET",
                          *(setting.upper() for setting in adapter.spec.oauth2.app_headers.values()))]
    missing = {*REQUIRED_SETTINGS, *oauth, "MONITR_PERSONNEL_KEY_SALT"} - set(
        secrets_template["stringData"])
    assert not missing, f"add to deploy/monitr-secrets.example.yaml and the README: {missing}"


def test_definitions_load_without_the_sandbox():
    """The image leaves monitr_sandbox out: the code location must load without it."""
    script = textwrap.dedent("""
        import importlib.abc, json, sys

        class NoSandbox(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "monitr_sandbox":
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
                return None

        sys.meta_path.insert(0, NoSandbox())
        from monitr_pipeline.definitions import defs
        pools = {a.node_def.pool for a in defs.assets if getattr(a, "node_def", None)}
        print(json.dumps(sorted(p for p in pools if p)))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    pools = set(json.loads(result.stdout.strip().splitlines()[-1]))
    # Each provider's pool exists, and takes the deployment's default pool limit.
    assert {f"{slug}_api" for slug in adapters()} <= pools
