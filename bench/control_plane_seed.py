"""Many entity connections written straight into the control plane (bulk inserts, no OAuth, no
provider), and a count of the SQL statements the control plane is sent: what the fan-out bench
needs to show a tick's cost does not grow by one query per connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event, insert

from monitr_pipeline.control.db import engine_for
from monitr_pipeline.control.models import (
    AuthKind,
    ConnectionKind,
    Entity,
    EntityConnection,
    Health,
    Integration,
    IntegrationStatus,
    Organisation,
)
from monitr_pipeline.control.service import ControlPlane, make_partition_key

# An accountancy firm with hundreds of dossiers: connections are spread over organisations so.
DOSSIERS_PER_ORGANISATION = 200


def seed_connections(control: ControlPlane, count: int, provider: str = "exact_online") -> None:
    """`count` active connections of `provider` in a fresh control plane, one integration per
    organisation of DOSSIERS_PER_ORGANISATION entities."""
    organisations = -(-count // DOSSIERS_PER_ORGANISATION)
    with control.session() as s:
        s.execute(insert(Organisation), [
            {"id": o, "slug": f"firm-{o}", "name": f"Firm {o}"} for o in range(1, organisations + 1)])
        s.execute(insert(Integration), [
            {"id": o, "organisation_id": o, "provider": provider, "name": f"{provider} {o}",
             "auth_kind": AuthKind.OAUTH2, "status": IntegrationStatus.CONNECTED,
             "health": Health.HEALTHY} for o in range(1, organisations + 1)])
        s.execute(insert(Entity), [
            {"id": n, "organisation_id": _organisation(n), "name": f"Dossier {n}"}
            for n in range(1, count + 1)])
        s.execute(insert(EntityConnection), [
            {"id": n, "integration_id": _organisation(n), "entity_id": n, "provider": provider,
             "kind": ConnectionKind.ACCOUNTING, "external_id": str(100_000 + n),
             "external_name": f"Dossier {n}",
             "partition_key": make_partition_key(f"firm-{_organisation(n)}", str(100_000 + n),
                                                 f"Dossier {n}")}
            for n in range(1, count + 1)])


def _organisation(entity: int) -> int:
    return (entity - 1) // DOSSIERS_PER_ORGANISATION + 1


@dataclass
class StatementCount:
    statements: int = 0  # an executemany counts once: one round trip


@contextmanager
def counted_statements(control: ControlPlane) -> Iterator[StatementCount]:
    """Counts the statements sent to the control plane's database inside the block."""
    count = StatementCount()
    engine = engine_for(control.db_url)

    def before_cursor_execute(*_args) -> None:
        count.statements += 1

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
