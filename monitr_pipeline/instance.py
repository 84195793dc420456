"""The Dagster instance under MONITR_HOME: SQLite storage by default, dagster-postgres when configured."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml
from dagster import DagsterInstance

from monitr_pipeline.locking import file_lock
from monitr_pipeline.settings import Settings


def instance_config(settings: Settings) -> dict:
    if settings.dagster_pg_url:
        url = urlparse(settings.dagster_pg_url)
        postgres_db = {
            "hostname": url.hostname or "127.0.0.1",
            "port": url.port or 5432,
            "username": url.username or "postgres",
            "db_name": url.path.lstrip("/") or "postgres",
            # SQLAlchemy 2.1 would pick psycopg 3 and break dagster-postgres (DESIGN_NOTES.md).
            "scheme": "postgresql+psycopg2",
        }
        if url.password:
            postgres_db["password"] = {"env": "MONITR_DAGSTER_PG_PASSWORD"}
        storage = {"postgres": {"postgres_db": postgres_db}}
    else:
        storage = {"sqlite": {"base_dir": str(settings.dagster_home / "storage")}}
    return {
        "storage": storage,
        "concurrency": {
            # DuckDB takes one writer at a time: with the embedded warehouse, runs go one by one.
            "runs": {
                "max_concurrent_runs": 8 if settings.warehouse_url else 1,
                # One run per entity connection (partition) at a time: a second stays queued
                # (Waiting) instead of holding a run slot while it waits for the first.
                "tag_concurrency_limits": [{"key": "dagster/partition",
                                            "value": {"applyLimitPerUniqueValue": True},
                                            "limit": 1}],
            },
            # Pools are per provider API ("<provider>_api"): entities importing from one API at once.
            "pools": {"default_limit": 4},
        },
        # Runs fork from a process that loaded the code once (run_launcher.py), not a new
        # interpreter each: ~4 s less a run.
        "run_launcher": {"module": "monitr_pipeline.run_launcher",
                         "class": "WarmProcessRunLauncher"},
        "run_monitoring": {"enabled": True},
        "telemetry": {"enabled": False},
        # What the import code logs (waits for quotas, locks and Retry-After; skipped tables)
        # joins each run's event log, so the UI shows it beside Dagster's own events.
        "python_logs": {"managed_python_loggers": ["monitr_pipeline"], "python_log_level": "INFO"},
    }


def write_instance_config(settings: Settings) -> Path:
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    path = home / "dagster.yaml"
    text = yaml.safe_dump(instance_config(settings), sort_keys=False)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return home


def monitr_instance(settings: Settings) -> DagsterInstance:
    # Storage tables are created when an instance is first opened: two first commands on a fresh
    # home would both create them ("table runs already exists") without taking turns.
    with file_lock(settings.home / "locks" / "dagster-instance.lock", "the Dagster instance",
                   "opening the Dagster instance"):
        return DagsterInstance.from_config(str(write_instance_config(settings)))
