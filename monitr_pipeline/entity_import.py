"""One import of one entity connection: its source, its pipeline, its outcome in the control plane."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import dlt
import requests
from dlt.extract.source import DltSource

from monitr_pipeline.connections.health import NEEDS_ACTION, classify_failure, reconnect_steps
from monitr_pipeline.control.models import Health
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.errors import first_cause
from monitr_pipeline.entity_table_counts_table import (
    EntityTableCount,
    append_entity_table_counts,
    count_entity_rows,
)
from monitr_pipeline.import_loads_table import ImportLoad, append_import_loads, loads_of
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import (
    DeletionGuard,
    EntityContext,
    ImportDataError,
    ImportRunContext,
)
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.adapter import ProviderAdapter, ProviderError
from monitr_pipeline.settings import Settings


class ConnectionNotActive(RuntimeError):
    """The entity connection was deleted: its partition is going away and nothing is imported."""


class IntegrationNeedsAction(RuntimeError):
    """The integration is known to be unusable until a person acts (reconnect, new key, reselect):
    the import fails at once with that reason instead of spending the provider's error budget."""


@dataclass
class EntityImport:
    settings: Settings
    control: ControlPlane
    adapter: ProviderAdapter
    connection: ConnectionInfo

    @classmethod
    def for_partition(cls, settings: Settings, adapter: ProviderAdapter, partition_key: str
                      ) -> EntityImport:
        control = ControlPlane.from_settings(settings)
        connection = control.connection_for_partition(adapter.spec.slug, partition_key)
        if not connection.is_active:
            raise ConnectionNotActive(
                f"{connection.entity_name} ({partition_key}): this {adapter.spec.name} connection "
                "was deleted; its imported data is kept, new imports are not run")
        return cls(settings, control, adapter, connection)

    def ensure_importable(self) -> None:
        """Fail fast, with the reason and the reconnect steps, when the integration's health or
        this administration's visibility says the import cannot succeed."""
        integration = self.control.integration_info(self.connection.integration_id)
        if Health(integration.health) in NEEDS_ACTION:
            raise IntegrationNeedsAction(
                f"{self.entity}: {integration.name} is unhealthy ({integration.health}: "
                f"{integration.health_reason}). {reconnect_steps(integration)}")
        if self.connection.not_found_since is not None:
            steps = reconnect_steps(
                replace(integration, health=Health.ADMINISTRATION_NOT_FOUND.value),
                [self.connection])
            raise IntegrationNeedsAction(
                f"{self.entity}: administration not found at {integration.name} since "
                f"{self.connection.not_found_since:%Y-%m-%d %H:%M} UTC. {steps}")

    @property
    def entity(self) -> EntityContext:
        c = self.connection
        return EntityContext(organisation_id=c.organisation_id, entity_id=c.entity_id,
                             external_id=c.external_id, partition_key=c.partition_key,
                             entity_name=c.entity_name)

    def run_context(self, confirm_deletions: bool = False) -> ImportRunContext:
        """This run's state: the tables known unreadable, and whether large deletions are
        confirmed (by the run itself, or by a person for the connection's next import)."""
        c = self.connection
        return ImportRunContext(
            entity=self.entity,
            known_unreadable=self.control.known_unreadable(c.connection_id),
            deletion_guard=DeletionGuard(
                max_loss=self.settings.snapshot_max_loss,
                min_rows=self.settings.snapshot_min_loss_rows,
                confirmed=confirm_deletions or c.deletions_confirmed_at is not None,
                how_to_confirm=(
                    f"confirm with `monitr import {c.partition_key} --confirm-deletions`, or with "
                    f"`monitr entities confirm-deletions {c.connection_id}` for its next import "
                    "from any trigger (schedule, Dagster UI)")))

    def source(self, run: ImportRunContext) -> DltSource:
        c = self.connection
        base_url = self.adapter.base_url(c.environment, c.base_url)
        client = entity_client(self.adapter, base_url, c.external_id,
                               self.control.credential_store(c.integration_id),
                               label=str(self.entity))
        return provider_source(self.adapter, run, client)

    def record_reads(self, run: ImportRunContext) -> None:
        """Remember which optional tables the connection may not read (asked again weekly or
        after a reconnect), whether or not the import as a whole succeeded."""
        self.control.record_endpoint_reads(self.connection.connection_id, run.unreadable,
                                           run.read)

    def finish(self, import_run_id: int, pipeline: dlt.Pipeline, run: ImportRunContext,
               dagster_run_id: str | None = None, rows_before: Mapping[str, int] | None = None
               ) -> int:
        """Record the import as succeeded; the caller holds warehouse_lock (see record_loads).
        With `rows_before` (count_rows before the load), the rows per table around the load go
        to monitr.entity_table_counts."""
        rows = self.rows_loaded(pipeline)
        self.record_loads(pipeline, import_run_id, dagster_run_id)
        if rows_before is not None:
            self.record_table_counts(rows_before, import_run_id, dagster_run_id)
        self.record_reads(run)
        confirmed = self.connection.deletions_confirmed_at is not None
        self.control.finish_import(import_run_id, rows, run.warnings, used_confirmation=confirmed)
        self.record_success()
        return rows

    def record_loads(self, pipeline: dlt.Pipeline, import_run_id: int,
                     dagster_run_id: str | None) -> None:
        """Append the run's dlt loads to monitr.import_loads, before the import counts as
        succeeded: a load whose rows cannot be traced to their import fails the import."""
        c = self.connection
        loaded_at = datetime.now(UTC)
        append_import_loads(self.settings, [
            ImportLoad(load_id=load_id, provider=self.adapter.spec.slug,
                       organisation_id=c.organisation_id, entity_id=c.entity_id,
                       partition_key=c.partition_key, dagster_run_id=dagster_run_id,
                       import_run_id=import_run_id, loaded_at=loaded_at, rows_loaded=rows)
            for load_id, rows in loads_of(pipeline)])

    def count_rows(self) -> dict[str, int]:
        """table -> the entity's rows in each raw table of its provider; the caller holds
        warehouse_lock."""
        spec = self.adapter.spec
        return count_entity_rows(self.settings, spec.dataset_name, spec.tables,
                                 self.connection.entity_id)

    def record_table_counts(self, rows_before: Mapping[str, int], import_run_id: int,
                            dagster_run_id: str | None) -> None:
        """Append the rows per table before and after this import's load to
        monitr.entity_table_counts: what tells a drop the import's deletions explain from rows
        lost outside imports (entity_table_counts_table.py)."""
        c = self.connection
        counted_at = datetime.now(UTC)
        append_entity_table_counts(self.settings, [
            EntityTableCount(provider=self.adapter.spec.slug, organisation_id=c.organisation_id,
                             entity_id=c.entity_id, table_name=table,
                             import_run_id=import_run_id, dagster_run_id=dagster_run_id,
                             counted_at=counted_at, rows_before_load=rows_before.get(table, 0),
                             rows_after_load=after)
            for table, after in self.count_rows().items()])

    def pipeline(self) -> dlt.Pipeline:
        return entity_pipeline(self.settings, self.adapter.spec, self.connection.partition_key)

    @staticmethod
    def rows_loaded(pipeline: dlt.Pipeline) -> int:
        counts = pipeline.last_trace.last_normalize_info.row_counts
        return sum(n for table, n in counts.items() if not table.startswith("_dlt"))

    def record_failure(self, exc: BaseException) -> str:
        """The user-facing reason of a failed import; flags the integration when it is the cause."""
        cause = root_cause(exc)
        finding = classify_failure(self.adapter, cause)
        if finding is not None:
            if finding.health is Health.ADMINISTRATION_NOT_FOUND:
                self.control.set_connection_found(self.connection.connection_id, False)
            self.control.set_health(self.connection.integration_id, finding.health.value,
                                    finding.reason)
        message = str(cause)
        # Every failure names its entity, whichever layer raised it.
        return message if self.connection.entity_name in message else f"{self.entity}: {message}"

    def record_success(self) -> None:
        c = self.connection
        self.control.set_connection_found(c.connection_id, True)
        # Another administration of the same login may still be missing: keep saying so.
        if not any(other.not_found_since for other in self.control.connections()
                   if other.integration_id == c.integration_id):
            self.control.set_health(c.integration_id, Health.HEALTHY.value)


_EXPECTED = (ImportDataError, ProviderError, ReconnectRequired, ConnectionNotActive,
             IntegrationNeedsAction, requests.ConnectionError, requests.Timeout)


def root_cause(exc: BaseException) -> BaseException:
    """dlt wraps extraction errors in pipeline-step errors; find the one that says what went wrong."""
    return first_cause(exc, _EXPECTED)
