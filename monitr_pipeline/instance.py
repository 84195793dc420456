"""The Dagster instance under MONITR_HOME: SQLite storage by default, dagster-postgres when configured."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml
from dagster import DagsterInstance

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
            "runs": {"max_concurrent_runs": 8 if settings.warehouse_url else 1},
            # Pools are per provider API ("<provider>_api"): entities importing from one API at once.
            "pools": {"default_limit": 4},
        },
        "run_monitoring": {"enabled": True},
        "telemetry": {"enabled": False},
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
    return DagsterInstance.from_config(str(write_instance_config(settings)))
