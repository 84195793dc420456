"""Cross-process locks that wait rather than fail, and say who they wait for and how long.

Two kinds: a file lock (flock) for what lives on this machine (the embedded SQLite control plane,
the DuckDB warehouse file, the Dagster home), and a Postgres advisory lock for a shared control
plane. Both are released by the operating system or the server when their process dies, so a
killed import never leaves a lock behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

# A wait longer than this is worth a line in the log (the brief: long waits are logged).
LONG_WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.2


def holder_description(purpose: str) -> str:
    """Who holds a lock, as a waiter will read it: what for, which process, since when."""
    return json.dumps({"purpose": purpose, "pid": os.getpid(), "host": socket.gethostname(),
                       "since": time.strftime("%Y-%m-%d %H:%M:%S %Z")})


def describe_holder(raw: str) -> str:
    try:
        holder = json.loads(raw)
        return f"{holder['purpose']} (pid {holder['pid']} on {holder['host']}, since {holder['since']})"
    except (ValueError, KeyError, TypeError):
        return "another process"


class _WaitReporter:
    """Logs once when a wait has lasted LONG_WAIT_SECONDS (naming the holder) and once when it ends."""

    def __init__(self, what: str, waiter: str, holder: Callable[[], str]):
        self.what, self.waiter, self.holder = what, waiter, holder
        self.started = time.monotonic()
        self.reported = False

    def still_waiting(self) -> None:
        waited = time.monotonic() - self.started
        if not self.reported and waited >= LONG_WAIT_SECONDS:
            self.reported = True
            log.info("%s: waiting for %s, held by %s (%.0f s so far)", self.waiter, self.what,
                     self.holder(), waited)

    def acquired(self) -> float:
        waited = time.monotonic() - self.started
        if self.reported:
            log.info("%s: got %s after waiting %.0f s", self.waiter, self.what, waited)
        return waited


@contextmanager
def file_lock(path: Path, what: str, waiter: str, *, shared: bool = False,
              holder: Callable[[], str] | None = None) -> Iterator[None]:
    """Hold `path` locked (exclusively, or shared among readers) while the block runs; wait for
    it as long as it takes, logging a long wait. The exclusive holder writes who it is into the
    file, which is how a waiter names it (unless `holder` says better)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    with open(path, "a+") as handle:
        reporter = _WaitReporter(what, waiter, holder or (lambda: describe_holder(_read(path))))
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                reporter.still_waiting()
                time.sleep(_POLL_SECONDS)
        reporter.acquired()
        try:
            if not shared:
                handle.seek(0)
                handle.truncate()
                handle.write(holder_description(waiter))
                handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock from a lock's name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def advisory_lock(engine: Engine, name: str, what: str, waiter: str,
                  holder: Callable[[], str] = lambda: "another session") -> Iterator[None]:
    """A session-level Postgres advisory lock held on its own connection for the block: the
    server frees it when that connection ends, also when the process holding it is killed."""
    key = advisory_key(name)
    with engine.connect() as connection:
        reporter = _WaitReporter(what, waiter, holder)
        while not connection.execute(text("select pg_try_advisory_lock(:key)"),
                                     {"key": key}).scalar():
            connection.rollback()
            reporter.still_waiting()
            time.sleep(_POLL_SECONDS)
        connection.commit()
        reporter.acquired()
        try:
            yield
        finally:
            connection.execute(text("select pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()
