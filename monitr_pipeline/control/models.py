"""SQLAlchemy models of the control plane (SQLite by default, Postgres in production)."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class AuthKind(str, enum.Enum):
    OAUTH2 = "oauth2"
    API_KEY = "api_key"
    API_CREDENTIALS = "api_credentials"
    FILE_UPLOAD = "file_upload"


class IntegrationStatus(str, enum.Enum):
    PENDING_AUTH = "pending_auth"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    ERROR = "error"


class Health(str, enum.Enum):
    UNKNOWN = "unknown"
    HEALTHY = "healthy"
    TOKEN_EXPIRED = "token_expired"
    CREDENTIALS_REJECTED = "credentials_rejected"
    ADMINISTRATION_NOT_FOUND = "administration_not_found"
    PROVIDER_UNREACHABLE = "provider_unreachable"


class ConnectionKind(str, enum.Enum):
    ACCOUNTING = "accounting"
    CRM = "crm"
    PAYROLL = "payroll"
    ANNUAL_ACCOUNTS = "annual_accounts"
    PROJECT = "project"


class ConnectionStatus(str, enum.Enum):
    ACTIVE = "active"
    DELETED = "deleted"


class ImportStatus(str, enum.Enum):
    WAITING = "Waiting"
    IN_PROGRESS = "In Progress"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the values (e.g. "In Progress"), not the member names, so SQL readers see what users see.
    return Enum(cls, values_callable=lambda members: [m.value for m in members], native_enum=False,
                length=32)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    integrations: Mapped[list[Integration]] = relationship(back_populates="organisation")
    entities: Mapped[list[Entity]] = relationship(back_populates="organisation")


class Integration(Base):
    __tablename__ = "integrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    provider: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    auth_kind: Mapped[AuthKind] = mapped_column(_enum(AuthKind))
    environment: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Overrides the provider's base URL for the environment (e.g. a local emulator).
    base_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    credentials_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # Bumped on every credential write, so a refresh can tell whether another run rotated first.
    credentials_version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[IntegrationStatus] = mapped_column(
        _enum(IntegrationStatus), default=IntegrationStatus.PENDING_AUTH
    )
    health: Mapped[Health] = mapped_column(_enum(Health), default=Health.UNKNOWN)
    health_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    health_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    organisation: Mapped[Organisation] = relationship(back_populates="integrations")
    connections: Mapped[list[EntityConnection]] = relationship(back_populates="integration")


class Entity(Base):
    """A reporting entity of an organisation: one administration / division / tenant / dossier."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))
    # The entity's stable id outside Monitr (a UUID): what a provider that keeps a link to our
    # entities stores per administration. Null only for entities made before the column
    # (ControlPlane.entity_reference gives them one on first use).
    reference: Mapped[str | None] = mapped_column(String(36), nullable=True,
                                                  default=lambda: str(uuid.uuid4()))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="entities")
    connections: Mapped[list[EntityConnection]] = relationship(back_populates="entity")


class EntityConnection(Base):
    """An integration assigned to an entity: one provider x entity pair, one Dagster partition."""

    __tablename__ = "entity_connections"
    __table_args__ = (UniqueConstraint("provider", "partition_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("integrations.id"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    provider: Mapped[str] = mapped_column(String(64))
    kind: Mapped[ConnectionKind] = mapped_column(_enum(ConnectionKind))
    # The provider's id and name of the administration (division, tenant, dossier, ...).
    external_id: Mapped[str] = mapped_column(String(200))
    external_name: Mapped[str] = mapped_column(String(200))
    partition_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[ConnectionStatus] = mapped_column(
        _enum(ConnectionStatus), default=ConnectionStatus.ACTIVE
    )
    # Set when the provider no longer lists the administration for this login (removed, renamed
    # to another id, access withdrawn); cleared when it is seen again.
    not_found_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)
    # Someone confirmed that the next import may delete most of a snapshot (the rows really are
    # gone at the source); the import that uses it clears it.
    deletions_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                                    nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    integration: Mapped[Integration] = relationship(back_populates="connections")
    entity: Mapped[Entity] = relationship(back_populates="connections")
    import_runs: Mapped[list[ImportRun]] = relationship(back_populates="connection")


class ImportRun(Base):
    __tablename__ = "import_runs"
    __table_args__ = (UniqueConstraint("connection_id", "request_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("entity_connections.id"))
    # Identifies the request (schedule tick, sensor, manual) so a re-evaluated request is one run.
    request_key: Mapped[str] = mapped_column(String(300))
    trigger: Mapped[str] = mapped_column(String(32))
    dagster_run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[ImportStatus] = mapped_column(_enum(ImportStatus), default=ImportStatus.WAITING)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When a Dagster run was asked for it: a night of thousands of imports is recorded at once and
    # launched a batch per tick (sensors/import_queue.py); those not yet launched have none.
    launched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    rows_loaded: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What a successful import did not load, and why (tables skipped), one per line.
    warnings: Mapped[str | None] = mapped_column(Text, nullable=True)

    connection: Mapped[EntityConnection] = relationship(back_populates="import_runs")


class UnreadableEndpoint(Base):
    """An optional table a connection may not read (a scope not granted, a module not licensed).

    Imports leave it unasked, sparing the provider's error budget, until `probed_at` is a week
    old or the integration gets a new consent or key (which deletes these rows).
    """

    __tablename__ = "unreadable_endpoints"
    __table_args__ = (UniqueConstraint("connection_id", "table_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("entity_connections.id"))
    table_name: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    probed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccountMappingOverride(Base):
    """Someone's choice of standard-chart code (RGS or PCMN) for a ledger account; it wins over
    the provider's own code and the proposals of dim_account_mappings. No entity: for every
    entity of the organisation; an entity's own override wins over that."""

    __tablename__ = "account_mapping_overrides"
    __table_args__ = (
        UniqueConstraint("organisation_id", "entity_id", "account_code"),
        # SQL counts NULLs as distinct, so the constraint above lets two organisation-wide
        # overrides of one account in; this index keeps them to one.
        Index("uq_account_mapping_overrides_organisation_wide", "organisation_id", "account_code",
              unique=True, sqlite_where=text("entity_id is null"),
              postgresql_where=text("entity_id is null")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), nullable=True)
    account_code: Mapped[str] = mapped_column(String(100))
    standard_code: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
