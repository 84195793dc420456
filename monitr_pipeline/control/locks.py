"""Cross-process locks per integration: an advisory lock on Postgres, a file lock beside SQLite."""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from monitr_pipeline.control.db import engine_for


@contextmanager
def integration_lock(db_url: str, integration_id: int) -> Iterator[None]:
    if db_url.startswith("postgresql"):
        key = int.from_bytes(hashlib.sha256(f"integration:{integration_id}".encode()).digest()[:8],
                             "big", signed=True)
        with engine_for(db_url).connect() as connection:
            connection.execute(text("select pg_advisory_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                connection.execute(text("select pg_advisory_unlock(:key)"), {"key": key})
        return
    # SQLite: flock on a file next to the database serialises processes on this machine, which is
    # the only place an embedded SQLite control plane can be shared.
    database = Path(db_url.removeprefix("sqlite:///"))
    lock_dir = database.parent / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"integration-{integration_id}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
