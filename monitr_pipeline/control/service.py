"""Operations on the control plane that the pipeline, the sensors and the CLI share."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.orm import Session, joinedload, selectinload

from monitr_pipeline.control.crypto import CredentialCipher, load_or_create_key
from monitr_pipeline.control.db import session_scope
from monitr_pipeline.control.locks import connection_import_lock, integration_lock
from monitr_pipeline.control.models import (
    AuthKind,
    ConnectionKind,
    ConnectionStatus,
    Entity,
    EntityConnection,
    Health,
    ImportRun,
    ImportStatus,
    Integration,
    IntegrationStatus,
    Organisation,
    UnreadableEndpoint,
    utcnow,
)
from monitr_pipeline.control.rules import (
    ConnectionRuleError,
    check_beside_an_entity,
    check_may_add_integration,
    check_one_primary_accounting,
)
from monitr_pipeline.settings import Settings


@dataclass(frozen=True)
class ConnectionInfo:
    """A detached snapshot of an entity connection and what an import needs to know about it."""

    connection_id: int
    provider: str
    kind: str
    partition_key: str
    external_id: str
    external_name: str
    is_active: bool
    integration_id: int
    environment: str | None
    base_url: str | None
    organisation_id: int
    organisation_slug: str
    entity_id: int
    entity_name: str
    deleted_at: datetime | None = None
    # When the provider stopped listing the administration for this login; None while it does.
    not_found_since: datetime | None = None
    # Someone confirmed the next import may delete most of a snapshot; None otherwise.
    deletions_confirmed_at: datetime | None = None


@dataclass(frozen=True)
class IntegrationInfo:
    """A detached snapshot of an integration, for listings, health checks and the Dagster UI."""

    integration_id: int
    organisation_id: int
    organisation_slug: str
    provider: str
    name: str
    auth_kind: str
    environment: str | None
    base_url: str | None
    status: str
    health: str
    health_reason: str | None
    health_checked_at: datetime | None
    created_at: datetime
    deleted_at: datetime | None
    active_connections: int

    @property
    def partition_key(self) -> str:
        """Its partition of the Dagster asset that shows every integration's health."""
        return make_partition_key(self.organisation_slug, f"{self.provider}-{self.integration_id}")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class EntityImportStatus:
    partition_key: str
    provider: str
    entity_name: str
    organisation_slug: str
    status: str
    requested_at: datetime | None
    finished_at: datetime | None
    rows_loaded: int | None
    error: str | None
    warnings: str | None = None
    dagster_run_id: str | None = None
    started_at: datetime | None = None
    trigger: str | None = None
    entity_id: int | None = None
    # The integration's health (healthy, token_expired, ...): why an entity may not be importing.
    integration_health: str | None = None


# An optional table refused once is asked for again after this long (a module may be licensed in
# the meantime), or at once after a new consent or key.
REPROBE_UNREADABLE_AFTER = timedelta(days=7)


class UnknownRecord(LookupError):
    """An id that names no integration, connection, entity or import run."""


_KINDS = {Integration: "integration", EntityConnection: "entity connection", Entity: "entity",
          ImportRun: "import run"}


@dataclass(frozen=True)
class ImportRequest:
    connection_id: int
    request_key: str
    trigger: str


def _with_owners(query: Any) -> Any:
    """Connections with their integration, entity and organisation in the same query: what
    ConnectionInfo reads, without one query per connection."""
    return query.options(joinedload(EntityConnection.integration),
                         joinedload(EntityConnection.entity).joinedload(Entity.organisation))


def _one(s: Session, model: type, key: int) -> Any:
    found = s.get(model, key)
    if found is None:
        raise UnknownRecord(f"no {_KINDS[model]} {key}")
    return found


def _import_runs(s: Session, keys: Sequence[tuple[int, str]]) -> Iterator[ImportRun]:
    """The import runs of these (connection id, request key) pairs, 500 to a query."""
    for start in range(0, len(keys), 500):  # bound the IN list
        yield from s.scalars(select(ImportRun).where(
            tuple_(ImportRun.connection_id, ImportRun.request_key).in_(keys[start:start + 500])))


def _info(connection: EntityConnection) -> ConnectionInfo:
    integration, entity = connection.integration, connection.entity
    return ConnectionInfo(
        connection_id=connection.id,
        provider=connection.provider,
        kind=connection.kind.value,
        partition_key=connection.partition_key,
        external_id=connection.external_id,
        external_name=connection.external_name,
        is_active=connection.status is ConnectionStatus.ACTIVE,
        integration_id=integration.id,
        environment=integration.environment,
        base_url=integration.base_url,
        organisation_id=entity.organisation_id,
        organisation_slug=entity.organisation.slug,
        entity_id=entity.id,
        entity_name=entity.name,
        deleted_at=connection.deleted_at,
        not_found_since=connection.not_found_since,
        deletions_confirmed_at=connection.deletions_confirmed_at,
    )


def _integration_info(integration: Integration) -> IntegrationInfo:
    return IntegrationInfo(
        integration_id=integration.id,
        organisation_id=integration.organisation_id,
        organisation_slug=integration.organisation.slug,
        provider=integration.provider,
        name=integration.name,
        auth_kind=integration.auth_kind.value,
        environment=integration.environment,
        base_url=integration.base_url,
        status=integration.status.value,
        health=integration.health.value,
        health_reason=integration.health_reason,
        health_checked_at=integration.health_checked_at,
        created_at=integration.created_at,
        deleted_at=integration.deleted_at,
        active_connections=sum(c.status is ConnectionStatus.ACTIVE
                               for c in integration.connections),
    )


# Characters of the entity's name in a partition key: enough to recognise it in the Dagster UI's
# partition lists, few enough that keys stay readable there.
PARTITION_KEY_NAME_CHARS = 32


def _name_slug(name: str) -> str:
    """`Café De Gouden Korst B.V.` -> `cafe-de-gouden-korst-b-v`, cut at a word boundary."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(slug) <= PARTITION_KEY_NAME_CHARS:
        return slug
    cut = slug[:PARTITION_KEY_NAME_CHARS + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:-1]).strip("-")


def make_partition_key(organisation_slug: str, external_id: str, name: str | None = None) -> str:
    """`<organisation>-<name>-<external id>`, e.g. `demo-bakkerij-de-gouden-korst-131001`: the
    name makes it readable in the Dagster UI; the external id keeps it unique per organisation
    and provider. Keys made before names were part of them (`demo-131001`) stay as they are:
    a key is its partition's identity."""
    name_part = _name_slug(name or "")
    if re.sub(r"[^a-z0-9]+", "-", external_id.lower()).startswith(name_part):
        name_part = ""  # the id already spells the name (a file import's dossier name)
    parts = [organisation_slug, name_part, external_id]
    return re.sub(r"[^a-z0-9_-]+", "-", "-".join(p for p in parts if p).lower()).strip("-")


def _unused_partition_key(s: Session, provider: str, key: str) -> str:
    """`key`, or `key-2`, `key-3`, ... when another connection holds it (organisation slugs and
    names with dashes can, rarely, spell the same key)."""
    held = set(s.scalars(select(EntityConnection.partition_key).where(
        EntityConnection.provider == provider, EntityConnection.partition_key.like(f"{key}%"))))
    candidate, n = key, 1
    while candidate in held:
        n += 1
        candidate = f"{key}-{n}"
    return candidate


class ControlPlane:
    def __init__(self, db_url: str, cipher: CredentialCipher):
        self.db_url = db_url
        self._cipher = cipher

    @classmethod
    def from_settings(cls, settings: Settings) -> ControlPlane:
        key = settings.secret_key or load_or_create_key(settings.secret_key_path)
        return cls(settings.control_db_url, CredentialCipher(key))

    def session(self) -> AbstractContextManager[Session]:
        return session_scope(self.db_url)

    # organisations and integrations ------------------------------------------------------------

    def ensure_organisation(self, slug: str, name: str) -> int:
        with self.session() as s:
            org = s.scalar(select(Organisation).where(Organisation.slug == slug))
            if org is None:
                org = Organisation(slug=slug, name=name)
                s.add(org)
                s.flush()
            return org.id

    def create_integration(self, organisation_id: int, provider: str, name: str, auth_kind: str,
                           credentials: dict[str, Any] | None = None, environment: str | None = None,
                           base_url: str | None = None) -> int:
        with self.session() as s:
            check_may_add_integration(s, organisation_id, AuthKind(auth_kind))
            integration = Integration(
                organisation_id=organisation_id, provider=provider, name=name,
                auth_kind=AuthKind(auth_kind), environment=environment, base_url=base_url,
                status=IntegrationStatus.CONNECTED if credentials else IntegrationStatus.PENDING_AUTH,
                health=Health.HEALTHY if credentials else Health.UNKNOWN,
            )
            if credentials:
                integration.credentials_encrypted = self._cipher.encrypt(credentials)
                integration.credentials_version = 1
            s.add(integration)
            s.flush()
            return integration.id

    def entities(self, organisation_id: int) -> dict[int, str]:
        """The organisation's entities: id -> name."""
        with self.session() as s:
            return {entity_id: name for entity_id, name in s.execute(
                select(Entity.id, Entity.name).where(Entity.organisation_id == organisation_id)
                .order_by(Entity.id))}

    def entity_reference(self, entity_id: int) -> str:
        """The entity's stable id outside Monitr (Entity.reference), made now for an entity older
        than the column."""
        with self.session() as s:
            entity = _one(s, Entity, entity_id)
            if entity.reference is None:
                entity.reference = str(uuid.uuid4())
            return entity.reference

    def entity_by_reference(self, organisation_id: int, reference: str) -> int | None:
        """The organisation's entity with this reference, if any (another organisation's never)."""
        with self.session() as s:
            return s.scalar(select(Entity.id).where(Entity.organisation_id == organisation_id,
                                                    Entity.reference == reference))

    def find_integration(self, organisation_id: int, provider: str,
                         environment: str | None = None) -> int | None:
        with self.session() as s:
            query = select(Integration.id).where(
                Integration.organisation_id == organisation_id, Integration.provider == provider,
                Integration.deleted_at.is_(None))
            if environment is not None:
                query = query.where(Integration.environment == environment)
            return s.scalar(query.order_by(Integration.id))

    def find_pending_integration(self, organisation_id: int, provider: str,
                                 environment: str | None) -> int | None:
        """An integration whose consent was started and never finished, to start it again."""
        with self.session() as s:
            return s.scalar(select(Integration.id).where(
                Integration.organisation_id == organisation_id, Integration.provider == provider,
                Integration.environment.is_(None) if environment is None
                else Integration.environment == environment,
                Integration.status == IntegrationStatus.PENDING_AUTH,
                Integration.deleted_at.is_(None)).order_by(Integration.id))

    def set_base_url(self, integration_id: int, base_url: str | None) -> None:
        with self.session() as s:
            _one(s, Integration, integration_id).base_url = base_url

    def integration(self, integration_id: int) -> Integration:
        with self.session() as s:
            return _one(s, Integration, integration_id)

    def integration_info(self, integration_id: int) -> IntegrationInfo:
        with self.session() as s:
            return _integration_info(_one(s, Integration, integration_id))

    def integrations(self, organisation_id: int | None = None, *, include_deleted: bool = True
                     ) -> list[IntegrationInfo]:
        with self.session() as s:
            query = select(Integration).order_by(Integration.id).options(
                joinedload(Integration.organisation), selectinload(Integration.connections))
            if organisation_id is not None:
                query = query.where(Integration.organisation_id == organisation_id)
            if not include_deleted:
                query = query.where(Integration.deleted_at.is_(None))
            return [_integration_info(i) for i in s.scalars(query)]

    def organisation_id(self, slug: str) -> int | None:
        with self.session() as s:
            return s.scalar(select(Organisation.id).where(Organisation.slug == slug))

    def delete_integration(self, integration_id: int) -> list[ConnectionInfo]:
        """Stop every import of the integration (its connections go, so do their partitions),
        keep all imported data, and drop its credentials: nothing will use them again."""
        with self.session() as s:
            integration = _one(s, Integration, integration_id)
            stopped = []
            for connection in integration.connections:
                if connection.status is ConnectionStatus.ACTIVE:
                    connection.status, connection.deleted_at = ConnectionStatus.DELETED, utcnow()
                    stopped.append(connection)
            if integration.deleted_at is None:
                integration.deleted_at = utcnow()
            integration.status = IntegrationStatus.DISCONNECTED
            integration.credentials_encrypted = None
            integration.credentials_version += 1
            s.flush()
            return [_info(c) for c in stopped]

    def set_connection_found(self, connection_id: int, found: bool) -> None:
        with self.session() as s:
            connection = _one(s, EntityConnection, connection_id)
            connection.not_found_since = None if found else (connection.not_found_since or utcnow())

    def record_visible_administrations(self, integration_id: int, visible: Mapping[str, str]
                                       ) -> list[ConnectionInfo]:
        """Given what the provider lists now (id -> name), mark the integration's connections it
        no longer lists as not found, those it lists again as found, and take over names changed
        under the same id; returns the ones not found."""
        with self.session() as s:
            missing = []
            for connection in _one(s, Integration, integration_id).connections:
                if connection.status is not ConnectionStatus.ACTIVE:
                    continue
                if connection.external_id in visible:
                    connection.not_found_since = None
                    connection.external_name = visible[connection.external_id]
                else:
                    connection.not_found_since = connection.not_found_since or utcnow()
                    missing.append(connection)
            s.flush()
            return [_info(c) for c in missing]

    def load_credentials(self, integration_id: int) -> dict[str, Any]:
        with self.session() as s:
            integration = _one(s, Integration, integration_id)
            if integration.credentials_encrypted is None:
                raise LookupError(f"integration {integration_id} has no credentials yet")
            return self._cipher.decrypt(integration.credentials_encrypted)

    def save_credentials(self, integration_id: int, credentials: dict[str, Any], *,
                         new_consent: bool = False) -> None:
        """Store credentials: a refreshed token, or (`new_consent`) a consent or key a person just
        gave, which may grant what was refused before, so every table is asked for again."""
        with self.session() as s:
            integration = _one(s, Integration, integration_id)
            integration.credentials_encrypted = self._cipher.encrypt(credentials)
            integration.credentials_version += 1
            integration.status = IntegrationStatus.CONNECTED
            if new_consent:
                connection_ids = select(EntityConnection.id).where(
                    EntityConnection.integration_id == integration_id)
                s.execute(delete(UnreadableEndpoint).where(
                    UnreadableEndpoint.connection_id.in_(connection_ids)))

    def set_health(self, integration_id: int, health: str, reason: str | None = None) -> None:
        with self.session() as s:
            integration = _one(s, Integration, integration_id)
            integration.health = Health(health)
            integration.health_reason = reason
            integration.health_checked_at = utcnow()
            if health != Health.HEALTHY.value:
                integration.status = IntegrationStatus.ERROR
            elif integration.status is IntegrationStatus.ERROR:
                integration.status = IntegrationStatus.CONNECTED

    def credential_store(self, integration_id: int) -> IntegrationCredentialStore:
        return IntegrationCredentialStore(self, integration_id)

    # entities and connections -------------------------------------------------------------------

    def connect_entity(self, integration_id: int, external_id: str, external_name: str,
                       kind: str = ConnectionKind.ACCOUNTING.value,
                       entity_id: int | None = None) -> ConnectionInfo:
        """Assign an administration of an integration to an entity: `entity_id`, else the entity
        it was connected to before, else a new one named after it.

        Reconnecting an administration that was connected before reuses its entity and partition,
        so earlier imported data and new imports line up. An entity keeps one primary accounting
        integration (ConnectionRuleError otherwise).
        """
        with self.session() as s:
            integration = _one(s, Integration, integration_id)
            if integration.deleted_at is not None:
                raise ConnectionRuleError(
                    f"Integration {integration.name} ({integration_id}) was deleted; connect the "
                    "provider again to import from it")
            org = integration.organisation
            previous = s.scalar(
                select(EntityConnection)
                .join(Integration)
                .where(Integration.organisation_id == org.id,
                       EntityConnection.provider == integration.provider,
                       EntityConnection.external_id == external_id)
                .order_by(EntityConnection.id.desc())
            )
            if previous is not None and previous.status is ConnectionStatus.ACTIVE:
                if entity_id in (None, previous.entity_id):
                    return _info(previous)
                raise ConnectionRuleError(
                    f"{external_name!r} is already imported into entity {previous.entity.name!r} "
                    f"(connection {previous.id}); disconnect it first: "
                    f"monitr entities disconnect {previous.id}")
            if entity_id is not None:
                entity = _one(s, Entity, entity_id)
                if entity.organisation_id != org.id:
                    raise ConnectionRuleError(
                        f"Entity {entity_id} belongs to another organisation than integration "
                        f"{integration_id}")
            elif previous is not None:
                entity = previous.entity
            else:
                check_beside_an_entity(ConnectionKind(kind), None, external_name)
                entity = Entity(organisation_id=org.id, name=external_name)
            replaced = check_one_primary_accounting(s, entity, integration, ConnectionKind(kind))
            if replaced is not None:
                # Reselected: the administration no longer found stops importing (data kept).
                replaced.status = ConnectionStatus.DELETED
                replaced.deleted_at = utcnow()
            # A reconnected administration keeps its partition (and so its history in Dagster).
            partition_key = previous.partition_key if previous is not None else \
                _unused_partition_key(s, integration.provider,
                                      make_partition_key(org.slug, external_id, external_name))
            connection = EntityConnection(
                integration=integration, entity=entity, provider=integration.provider,
                kind=ConnectionKind(kind), external_id=external_id, external_name=external_name,
                partition_key=partition_key,
            )
            if previous is not None:
                # The unique (provider, partition_key) belongs to the newest connection.
                previous.partition_key = f"{previous.partition_key}~{previous.id}"
            s.add(connection)
            s.flush()
            return _info(connection)

    def delete_connection(self, connection_id: int) -> ConnectionInfo:
        with self.session() as s:
            connection = _one(s, EntityConnection, connection_id)
            if connection.status is ConnectionStatus.ACTIVE:
                connection.status = ConnectionStatus.DELETED
                connection.deleted_at = utcnow()
            return _info(connection)

    def connections(self, provider: str | None = None, *, active_only: bool = True
                    ) -> list[ConnectionInfo]:
        with self.session() as s:
            query = _with_owners(select(EntityConnection).order_by(EntityConnection.id))
            if provider:
                query = query.where(EntityConnection.provider == provider)
            if active_only:
                query = query.where(EntityConnection.status == ConnectionStatus.ACTIVE)
            return [_info(c) for c in s.scalars(query)]

    def connection_for_partition(self, provider: str, partition_key: str) -> ConnectionInfo:
        with self.session() as s:
            connection = s.scalar(select(EntityConnection).where(
                EntityConnection.provider == provider,
                EntityConnection.partition_key == partition_key))
            if connection is None:
                raise LookupError(f"no {provider} connection has partition {partition_key!r}")
            return _info(connection)

    # what an import may skip and delete ---------------------------------------------------------

    def known_unreadable(self, connection_id: int) -> dict[str, str]:
        """Optional tables this connection was refused within the re-probe interval:
        table -> why."""
        cutoff = utcnow() - REPROBE_UNREADABLE_AFTER
        with self.session() as s:
            rows = s.scalars(select(UnreadableEndpoint).where(
                UnreadableEndpoint.connection_id == connection_id,
                UnreadableEndpoint.probed_at > cutoff))
            return {row.table_name: f"{row.reason}; not asked again until a reconnect or "
                                    f"{(row.probed_at + REPROBE_UNREADABLE_AFTER):%Y-%m-%d}"
                    for row in rows}

    def record_endpoint_reads(self, connection_id: int, unreadable: Mapping[str, str],
                              read: set[str]) -> None:
        """What an import found: optional tables refused (asked again in a week) and optional
        tables read (no longer skipped)."""
        with self.session() as s:
            known = {row.table_name: row for row in s.scalars(select(UnreadableEndpoint).where(
                UnreadableEndpoint.connection_id == connection_id))}
            for table, reason in unreadable.items():
                row = known.get(table) or UnreadableEndpoint(connection_id=connection_id,
                                                             table_name=table)
                row.reason, row.probed_at = reason, utcnow()
                s.add(row)
            for table in read & set(known):
                s.delete(known[table])

    def confirm_deletions(self, connection_id: int) -> ConnectionInfo:
        """Let the next import of this connection delete most of a snapshot (once)."""
        with self.session() as s:
            connection = _one(s, EntityConnection, connection_id)
            connection.deletions_confirmed_at = utcnow()
            return _info(connection)

    # import runs --------------------------------------------------------------------------------

    def import_lock(self, connection: ConnectionInfo, waiter: str
                    ) -> AbstractContextManager[None]:
        """Held for the whole of an import: a second import of the same connection waits for it
        (its dlt working folder and load packages are the connection's own)."""
        return connection_import_lock(self.db_url, connection.connection_id,
                                      f"the import of {connection.entity_name} "
                                      f"({connection.partition_key})", waiter,
                                      lambda: self._running_import(connection.connection_id))

    def _running_import(self, connection_id: int) -> str:
        with self.session() as s:
            run = s.scalar(select(ImportRun).where(
                ImportRun.connection_id == connection_id,
                ImportRun.status == ImportStatus.IN_PROGRESS).order_by(ImportRun.id.desc()))
            if run is None:
                return "another import"
            return (f"import run {run.id} ({run.trigger}, Dagster run {run.dagster_run_id}, "
                    f"started {run.started_at:%Y-%m-%d %H:%M:%S} UTC)")

    def request_import(self, connection_id: int, request_key: str, trigger: str,
                       dagster_run_id: str | None = None) -> int:
        """Record that an import was asked for (Waiting) by a caller that launches its run
        itself; asking again with the same key is a no-op, except that the Dagster run now
        carrying it out is noted."""
        with self.session() as s:
            run = s.scalar(select(ImportRun).where(ImportRun.connection_id == connection_id,
                                                   ImportRun.request_key == request_key))
            if run is None:
                run = ImportRun(connection_id=connection_id, request_key=request_key,
                                trigger=trigger)
                s.add(run)
            run.launched_at = run.launched_at or utcnow()
            if dagster_run_id is not None:
                run.dagster_run_id = dagster_run_id
            s.flush()
            return run.id

    def request_imports(self, requests: Sequence[ImportRequest], *, launched: bool = False
                        ) -> dict[tuple[int, str], int]:
        """Record many requested imports (Waiting) in one transaction, as a nightly tick over
        thousands of connections needs; asking again for the same request is a no-op.
        `launched`: their Dagster runs are being asked for now. Returns (connection id, request
        key) -> import run id."""
        wanted = {(r.connection_id, r.request_key): r for r in requests}
        ids: dict[tuple[int, str], int] = {}
        now = utcnow()
        with self.session() as s:
            for run in _import_runs(s, list(wanted)):
                ids[(run.connection_id, run.request_key)] = run.id
                if launched and run.launched_at is None:
                    run.launched_at = now
            new = [key for key in wanted if key not in ids]
            if new:
                # One executemany: the ORM would insert row by row to read back each new id
                # (SQLite), 10,000 statements for a night of 10,000 entities.
                s.execute(insert(ImportRun), [
                    {"connection_id": connection_id, "request_key": request_key,
                     "trigger": wanted[(connection_id, request_key)].trigger,
                     "status": ImportStatus.WAITING, "requested_at": now,
                     "launched_at": now if launched else None}
                    for connection_id, request_key in new])
                ids.update({(run.connection_id, run.request_key): run.id
                            for run in _import_runs(s, new)})
        return ids

    def unlaunched_imports(self, limit: int,
                           ready: Callable[[ConnectionInfo], bool] | None = None
                           ) -> list[tuple[ConnectionInfo, ImportRequest]]:
        """Requested imports whose Dagster run was not asked for yet, oldest first, of active
        connections (and `ready` ones: those not ready stay unlaunched, passed over); marked
        launched as they are handed out."""
        handed_out: list[tuple[ConnectionInfo, ImportRequest]] = []
        after = 0
        with self.session() as s:
            while len(handed_out) < limit:
                runs = list(s.scalars(
                    select(ImportRun).join(ImportRun.connection)
                    .where(ImportRun.launched_at.is_(None),
                           ImportRun.status == ImportStatus.WAITING,
                           EntityConnection.status == ConnectionStatus.ACTIVE,
                           ImportRun.id > after)
                    .options(joinedload(ImportRun.connection)
                             .joinedload(EntityConnection.integration),
                             joinedload(ImportRun.connection).joinedload(EntityConnection.entity)
                             .joinedload(Entity.organisation))
                    .order_by(ImportRun.id).limit(limit)))
                now = utcnow()
                for run in runs:
                    after = run.id
                    connection = _info(run.connection)
                    if ready is not None and not ready(connection):
                        continue
                    run.launched_at = now
                    handed_out.append((connection, ImportRequest(
                        run.connection_id, run.request_key, run.trigger)))
                    if len(handed_out) == limit:
                        break
                if len(runs) < limit:
                    break
            return handed_out

    def start_import(self, connection_id: int, request_key: str, trigger: str,
                     dagster_run_id: str | None) -> int:
        run_id = self.request_import(connection_id, request_key, trigger)
        with self.session() as s:
            run = _one(s, ImportRun, run_id)
            run.status = ImportStatus.IN_PROGRESS
            run.started_at = utcnow()
            run.dagster_run_id = dagster_run_id
            run.error = None
            return run.id

    def finish_import(self, import_run_id: int, rows_loaded: int, warnings: list[str] = (),
                      used_confirmation: bool = False) -> None:
        with self.session() as s:
            run = _one(s, ImportRun, import_run_id)
            run.status = ImportStatus.SUCCEEDED
            run.finished_at = utcnow()
            run.rows_loaded = rows_loaded
            run.warnings = "\n".join(warnings) or None
            if used_confirmation:
                run.connection.deletions_confirmed_at = None

    def fail_import(self, import_run_id: int, error: str) -> None:
        with self.session() as s:
            run = _one(s, ImportRun, import_run_id)
            run.status = ImportStatus.FAILED
            run.finished_at = utcnow()
            run.error = error[:4000]

    def fail_unfinished_imports(self, dagster_run_id: str, error: str) -> int:
        """A run that died before its asset could say so: mark its imports Failed."""
        with self.session() as s:
            runs = s.scalars(select(ImportRun).where(
                ImportRun.dagster_run_id == dagster_run_id,
                ImportRun.status.in_([ImportStatus.WAITING, ImportStatus.IN_PROGRESS])))
            count = 0
            for run in runs:
                run.status, run.finished_at, run.error = ImportStatus.FAILED, utcnow(), error[:4000]
                count += 1
            return count

    def fail_requested_import(self, connection_id: int, request_key: str, error: str) -> None:
        with self.session() as s:
            run = s.scalar(select(ImportRun).where(ImportRun.connection_id == connection_id,
                                                   ImportRun.request_key == request_key))
            if run is not None and run.status in (ImportStatus.WAITING, ImportStatus.IN_PROGRESS):
                run.status, run.finished_at, run.error = ImportStatus.FAILED, utcnow(), error[:4000]

    def import_run_status(self, connection_id: int, request_key: str) -> EntityImportStatus:
        """The outcome of one requested import (not the connection's latest)."""
        with self.session() as s:
            connection = _one(s, EntityConnection, connection_id)
            run = s.scalar(select(ImportRun).where(ImportRun.connection_id == connection_id,
                                                   ImportRun.request_key == request_key))
            return _status(connection, run)

    def import_runs(self, connection_id: int) -> list[ImportRun]:
        with self.session() as s:
            return list(s.scalars(select(ImportRun).where(ImportRun.connection_id == connection_id)
                                  .order_by(ImportRun.id)))

    def import_window(self) -> tuple[datetime | None, int]:
        """When the latest import that changed rows finished, and how many imports are still
        Waiting or In Progress: what decides when the models are rebuilt."""
        with self.session() as s:
            landed = s.scalar(select(func.max(ImportRun.finished_at)).where(
                ImportRun.status == ImportStatus.SUCCEEDED, ImportRun.rows_loaded > 0))
            pending = s.scalar(select(func.count(ImportRun.id)).where(
                ImportRun.status.in_([ImportStatus.WAITING, ImportStatus.IN_PROGRESS])))
            return landed, pending or 0

    def import_statuses(self, provider: str | None = None, *, active_only: bool = True
                        ) -> list[EntityImportStatus]:
        """Each active connection's latest import: what the product shows per entity (with
        `active_only=False`, disconnected ones' last import too)."""
        with self.session() as s:
            query = _with_owners(select(EntityConnection).order_by(EntityConnection.id))
            if active_only:
                query = query.where(EntityConnection.status == ConnectionStatus.ACTIVE)
            if provider:
                query = query.where(EntityConnection.provider == provider)
            connections = list(s.scalars(query))
            # Each connection's latest run, in one query rather than one per connection.
            latest_ids = select(func.max(ImportRun.id)).group_by(ImportRun.connection_id)
            latest = {run.connection_id: run for run in s.scalars(
                select(ImportRun).where(ImportRun.id.in_(latest_ids)))}
            return [_status(connection, latest.get(connection.id)) for connection in connections]

    def import_status_marker(self) -> str:
        """Changes whenever what import_statuses() shows may have changed (an import requested,
        started or ended; a connection made or deleted; an integration's health), for a sensor
        to tell cheaply whether the status board needs a refresh: aggregates only, one pass
        over the import runs."""
        with self.session() as s:
            runs = s.execute(select(func.count(ImportRun.id), func.max(ImportRun.id),
                                    func.max(ImportRun.started_at),
                                    func.max(ImportRun.finished_at))).one()
            connections = s.execute(select(
                func.count(EntityConnection.id), func.max(EntityConnection.id),
                func.max(EntityConnection.deleted_at), func.max(EntityConnection.not_found_since),
            )).one()
            health = s.execute(select(Integration.id, Integration.health)
                               .order_by(Integration.id)).all()
        facts = (tuple(runs), tuple(connections), [(i, h.value) for i, h in health])
        return hashlib.sha256(repr(facts).encode()).hexdigest()[:16]


def _status(connection: EntityConnection, run: ImportRun | None) -> EntityImportStatus:
    return EntityImportStatus(
        partition_key=connection.partition_key, provider=connection.provider,
        entity_name=connection.entity.name,
        organisation_slug=connection.entity.organisation.slug,
        status=run.status.value if run else ImportStatus.WAITING.value,
        requested_at=run.requested_at if run else None,
        finished_at=run.finished_at if run else None,
        rows_loaded=run.rows_loaded if run else None,
        error=run.error if run else None,
        warnings=run.warnings if run else None,
        dagster_run_id=run.dagster_run_id if run else None,
        started_at=run.started_at if run else None,
        trigger=run.trigger if run else None,
        entity_id=connection.entity_id,
        integration_health=connection.integration.health.value,
    )


class IntegrationCredentialStore:
    """The control plane seen through ingestion's CredentialStore interface, for one integration."""

    def __init__(self, control: ControlPlane, integration_id: int):
        self._control = control
        self._integration_id = integration_id

    def load(self) -> dict[str, Any]:
        return self._control.load_credentials(self._integration_id)

    def save(self, credentials: dict[str, Any]) -> None:
        self._control.save_credentials(self._integration_id, credentials)

    def lock(self) -> Iterator[None]:
        return integration_lock(self._control.db_url, self._integration_id)

    def mark_unhealthy(self, health: str, reason: str) -> None:
        self._control.set_health(self._integration_id, health, reason)
