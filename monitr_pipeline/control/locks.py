"""Cross-process locks of the control plane's records: an advisory lock on Postgres, a file lock
beside SQLite (the only place an embedded SQLite control plane can be shared is this machine)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from monitr_pipeline.locking import advisory_lock, file_lock


def control_lock(db_url: str, name: str, what: str, waiter: str,
                 holder: Callable[[], str] | None = None) -> AbstractContextManager[None]:
    if db_url.startswith("postgresql"):
        from monitr_pipeline.control.db import engine_for

        return advisory_lock(engine_for(db_url), f"monitr:{name}", what, waiter,
                             holder or (lambda: "another session"))
    database = Path(db_url.removeprefix("sqlite:///"))
    return file_lock(database.parent / "locks" / f"{name}.lock", what, waiter, holder=holder)


def integration_lock(db_url: str, integration_id: int) -> AbstractContextManager[None]:
    """Serialises credential refreshes of one integration (single-use refresh tokens)."""
    return control_lock(db_url, f"integration-{integration_id}",
                        f"the credentials of integration {integration_id}",
                        f"integration {integration_id}")


def connection_import_lock(db_url: str, connection_id: int, what: str, waiter: str,
                           holder: Callable[[], str]) -> AbstractContextManager[None]:
    """One import of an entity connection at a time."""
    return control_lock(db_url, f"import-connection-{connection_id}", what, waiter, holder)
