"""Engine and session factory for the control plane."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from monitr_pipeline.control.models import Base
from monitr_pipeline.locking import advisory_key, file_lock


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            # WAL lets the webserver, the daemon and run workers read while one of them writes.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    else:
        engine = create_engine(url, pool_pre_ping=True)
    _create_schema(url, engine)
    return engine


def _create_schema(url: str, engine: Engine) -> None:
    """Tables and columns this version needs, made by one process at a time: two first commands
    on a fresh home would otherwise both try to create the same tables."""
    if url.startswith("sqlite:///"):
        lock = Path(url.removeprefix("sqlite:///")).parent / "locks" / "control-schema.lock"
        with file_lock(lock, "the control plane's schema", "creating the control plane"), \
                engine.begin() as connection:
            _create_tables_and_columns(connection)
        return
    with engine.begin() as connection:
        connection.execute(text("select pg_advisory_xact_lock(:key)"),
                           {"key": advisory_key("monitr-control-schema")})
        _create_tables_and_columns(connection)


def _create_tables_and_columns(connection: Connection) -> None:
    Base.metadata.create_all(connection)
    # Columns added since a table was made (nullable, so existing rows stay valid); there is no
    # migration tool for the control plane yet, and these additions are all it has needed.
    existing = inspect(connection)
    for table in Base.metadata.sorted_tables:
        have = {column["name"] for column in existing.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have and column.nullable:
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(
                    text(f'alter table {table.name} add column {column.name} {kind}'))


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on error."""
    session = sessionmaker(engine_for(url), expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
