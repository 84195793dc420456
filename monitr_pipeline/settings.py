"""Runtime settings, resolved from the environment when asked for (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_monitr"


@dataclass(frozen=True)
class Settings:
    """Where state lives: one project-local folder by default, Postgres when configured.

    MONITR_HOME              folder for every embedded default (default: <project>/.monitr)
    MONITR_CONTROL_DB_URL    SQLAlchemy URL of the control plane (default: SQLite in MONITR_HOME)
    MONITR_WAREHOUSE_URL     postgresql://... selects the Postgres warehouse (default: DuckDB file)
    MONITR_DAGSTER_PG_URL    postgresql://... selects dagster-postgres storage (default: SQLite)
    MONITR_SECRET_KEY        Fernet key for credentials at rest (default: a key file in MONITR_HOME)
    MONITR_SNAPSHOT_MAX_LOSS      share of a snapshot's rows an import may delete unconfirmed (0.5)
    MONITR_SNAPSHOT_MIN_LOSS_ROWS fewer deleted rows than this never need confirming, unless
                                  the snapshot (or one of its files) empties entirely (10)
    MONITR_DUCKDB_MEMORY_LIMIT    memory the embedded warehouse may use while loading before it
                                  spills to disk (128MB; DuckDB's own syntax)
    """

    home: Path
    control_db_url: str
    warehouse_url: str | None
    dagster_pg_url: str | None
    secret_key: str | None
    snapshot_max_loss: float = 0.5
    snapshot_min_loss_rows: int = 10
    duckdb_memory_limit: str = "128MB"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        home = Path(env.get("MONITR_HOME") or PROJECT_ROOT / ".monitr").resolve()
        return cls(
            home=home,
            control_db_url=env.get("MONITR_CONTROL_DB_URL") or f"sqlite:///{home / 'control.db'}",
            warehouse_url=env.get("MONITR_WAREHOUSE_URL") or None,
            dagster_pg_url=env.get("MONITR_DAGSTER_PG_URL") or None,
            secret_key=env.get("MONITR_SECRET_KEY") or None,
            snapshot_max_loss=float(env.get("MONITR_SNAPSHOT_MAX_LOSS") or 0.5),
            snapshot_min_loss_rows=int(env.get("MONITR_SNAPSHOT_MIN_LOSS_ROWS") or 10),
            duckdb_memory_limit=env.get("MONITR_DUCKDB_MEMORY_LIMIT") or "128MB",
        )

    @property
    def warehouse_kind(self) -> str:
        return "postgres" if self.warehouse_url else "duckdb"

    @property
    def duckdb_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def dlt_pipelines_dir(self) -> Path:
        return self.home / "dlt"

    @property
    def secret_key_path(self) -> Path:
        return self.home / "secret.key"

    @property
    def sandbox_dir(self) -> Path:
        return self.home / "sandbox"

    def dbt_env(self) -> dict[str, str]:
        """Environment variables dbt_monitr/profiles.yml reads to reach the warehouse."""
        if not self.warehouse_url:
            return {"MONITR_WAREHOUSE": "duckdb", "MONITR_DUCKDB_PATH": str(self.duckdb_path)}
        url = urlparse(self.warehouse_url)
        return {
            "MONITR_WAREHOUSE": "postgres",
            "MONITR_PG_HOST": url.hostname or "127.0.0.1",
            "MONITR_PG_PORT": str(url.port or 5432),
            "MONITR_PG_USER": url.username or "postgres",
            "MONITR_PG_PASSWORD": url.password or "",
            "MONITR_PG_DATABASE": url.path.lstrip("/") or "postgres",
        }
