"""Who an import is for and what one import run knows and learns beside its rows.

Per-run state lives here, handed to the engine explicitly, never on an adapter or a module-level
object: the tables left unasked because they are known unreadable, whether large deletions are
confirmed, and what the run found out (tables skipped, tables read) for the control plane.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EntityContext:
    """Who the rows belong to; stamped on every row so one raw table holds all entities."""

    organisation_id: int
    entity_id: int
    external_id: str
    partition_key: str
    entity_name: str

    def __str__(self) -> str:
        return f"entity {self.entity_name!r} ({self.partition_key})"


class ImportDataError(RuntimeError):
    """Bad input from the provider, named by entity, endpoint, record and field."""


class DeletionsRefused(ImportDataError):
    """A snapshot would delete most of what the entity has (an empty or failed export?); nothing
    is loaded until someone confirms the deletions."""


@dataclass(frozen=True)
class DeletionGuard:
    """When a snapshot's deletions need a person's confirmation: the snapshot (or one part of it,
    an uploaded file) would lose every row, or more than `max_loss` of its rows and at least
    `min_rows` of them."""

    max_loss: float = 0.5
    min_rows: int = 10
    confirmed: bool = False
    # How to confirm, in the words of whoever runs the import (CLI flag, control-plane setting).
    how_to_confirm: str = "confirm the deletions and import again"

    def refuses(self, before: int, lost: int) -> bool:
        if self.confirmed or before == 0 or lost <= 0:
            return False
        return lost >= before or (lost / before > self.max_loss and lost >= self.min_rows)


@dataclass
class ImportRunContext:
    """One import run of one entity connection."""

    entity: EntityContext
    # table -> why it cannot be read: known from earlier runs, so not asked again this run.
    known_unreadable: Mapping[str, str] = field(default_factory=dict)
    deletion_guard: DeletionGuard = field(default_factory=DeletionGuard)
    # Learnt during the run: optional tables that answered "not for you" (table -> reason) and
    # optional tables that were read (a reconnect or re-probe made them readable again).
    unreadable: dict[str, str] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)
    # What a provider's adapter or transport keeps from one endpoint to the next within this run
    # (a session, one read of an upload folder, mutation details read with their versions),
    # keyed by the adapter's own names; gone with the run.
    provider_state: dict[str, Any] = field(default_factory=dict)

    def skips(self, table: str) -> bool:
        return table in self.known_unreadable

    @property
    def warnings(self) -> list[str]:
        """What the import status shows beside Succeeded: the tables it did not load, and why."""
        skipped = {**self.known_unreadable, **self.unreadable}
        return [f"{table} skipped: {reason}" for table, reason in sorted(skipped.items())]
