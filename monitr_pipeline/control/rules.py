"""The product's connection rules, checked inside the transaction that would break them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitr_pipeline.control.models import (
    AuthKind,
    ConnectionKind,
    ConnectionStatus,
    Entity,
    EntityConnection,
    Integration,
    IntegrationStatus,
)


class ConnectionRuleError(ValueError):
    """A request the connection rules refuse; the message says what to do instead."""


def check_may_add_integration(session: Session, organisation_id: int, auth_kind: AuthKind) -> None:
    """A file upload cannot start an organisation: onboarding connects a platform first, which
    is what discovers the administrations the uploads then sit beside."""
    if auth_kind is not AuthKind.FILE_UPLOAD:
        return
    platforms = session.scalar(select(func.count()).select_from(Integration).where(
        Integration.organisation_id == organisation_id, Integration.deleted_at.is_(None),
        Integration.auth_kind != AuthKind.FILE_UPLOAD,
        Integration.status != IntegrationStatus.PENDING_AUTH))
    if not platforms:
        raise ConnectionRuleError(
            "A CSV file upload cannot be an organisation's first integration. Connect its "
            "accounting platform first (monitr connect <provider>), then add CSV imports beside it.")


def check_one_primary_accounting(session: Session, entity: Entity, integration: Integration,
                                 kind: ConnectionKind) -> EntityConnection | None:
    """An entity has exactly one primary accounting integration; CRM, revenue, payroll and
    annual-accounts integrations sit beside it. Switching needs the old one disconnected first.

    Reselecting is the exception: when the entity's administration is no longer found by the
    same integration (renamed or moved at the provider), another administration of that login
    may take its place. Returns the connection it replaces, for the caller to end."""
    if kind is not ConnectionKind.ACCOUNTING or entity.id is None:
        return None
    current = session.scalar(select(EntityConnection).where(
        EntityConnection.entity_id == entity.id,
        EntityConnection.kind == ConnectionKind.ACCOUNTING,
        EntityConnection.status == ConnectionStatus.ACTIVE))
    if current is None:
        return None
    if current.integration_id == integration.id and current.not_found_since is not None:
        return current
    raise ConnectionRuleError(
        f"Entity {entity.name!r} already imports its accounting from "
        f"{current.integration.name} ({current.provider}, administration "
        f"{current.external_name!r}, connection {current.id}); an entity has one primary "
        f"accounting integration. Disconnect it first: monitr entities disconnect {current.id}")


def check_beside_an_entity(kind: ConnectionKind, entity: Entity | None, external_name: str) -> None:
    """CRM, revenue, payroll, annual-accounts and project integrations add to an entity that
    imports its accounting: they never make an entity of their own."""
    if kind is ConnectionKind.ACCOUNTING or entity is not None:
        return
    raise ConnectionRuleError(
        f"{external_name!r} is a {kind.value} administration: it sits beside an entity's "
        f"accounting and needs the entity it belongs to. Choose one with --entity <id> "
        f"(`monitr entities list` shows them): monitr entities select <integration> "
        f"<administration id> --entity <id>")
