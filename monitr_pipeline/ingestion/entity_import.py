"""One import of one entity connection: its source, its pipeline, its outcome in the control plane."""

from __future__ import annotations

from dataclasses import dataclass

import dlt
import requests
from dlt.extract.source import DltSource

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.source import EntityContext, ImportDataError, provider_source
from monitr_pipeline.providers.adapter import ProviderAdapter, ProviderError
from monitr_pipeline.settings import Settings


class ConnectionNotActive(RuntimeError):
    """The entity connection was deleted: its partition is going away and nothing is imported."""


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

    @property
    def entity(self) -> EntityContext:
        c = self.connection
        return EntityContext(organisation_id=c.organisation_id, entity_id=c.entity_id,
                             external_id=c.external_id, partition_key=c.partition_key,
                             entity_name=c.entity_name)

    def source(self) -> DltSource:
        c = self.connection
        base_url = self.adapter.base_url(c.environment, c.base_url)
        client = entity_client(self.adapter, base_url, c.external_id,
                               self.control.credential_store(c.integration_id))
        return provider_source(self.adapter, self.entity, client)

    def pipeline(self) -> dlt.Pipeline:
        return entity_pipeline(self.settings, self.adapter.spec, self.connection.partition_key)

    @staticmethod
    def rows_loaded(pipeline: dlt.Pipeline) -> int:
        counts = pipeline.last_trace.last_normalize_info.row_counts
        return sum(n for table, n in counts.items() if not table.startswith("_dlt"))

    def record_failure(self, exc: BaseException) -> str:
        """The user-facing reason of a failed import; flags the integration when it is the cause."""
        cause = root_cause(exc)
        integration_id = self.connection.integration_id
        if isinstance(cause, ProviderError):
            if cause.status == 401 and self.adapter.spec.auth_kind != "oauth2":
                # API keys and passwords have no refresh: the user must enter new ones.
                self.control.set_health(integration_id, "credentials_rejected",
                                        f"{self.adapter.spec.name} refused the stored credentials "
                                        f"({cause.reason}); enter new ones to reconnect")
            elif cause.status == 401:
                self.control.set_health(integration_id, "token_expired",
                                        f"{self.adapter.spec.name} rejected the access token "
                                        f"({cause.reason}); reconnect the integration")
            elif cause.status == 403 and cause.reason and "NoDivisionAccess" in cause.reason:
                self.control.set_health(integration_id, "administration_not_found",
                                        f"{self.connection.external_name} is no longer visible to "
                                        "this login; reconnect and reselect the administration")
        elif isinstance(cause, requests.ConnectionError):
            self.control.set_health(integration_id, "provider_unreachable", str(cause)[:300])
        message = str(cause)
        # Every failure names its entity, whichever layer raised it.
        return message if self.connection.entity_name in message else f"{self.entity}: {message}"

    def record_success(self) -> None:
        self.control.set_health(self.connection.integration_id, "healthy")


_EXPECTED = (ImportDataError, ProviderError, ReconnectRequired, ConnectionNotActive,
             requests.ConnectionError)


def root_cause(exc: BaseException) -> BaseException:
    """dlt wraps extraction errors in pipeline-step errors; find the one that says what went wrong."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _EXPECTED):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return exc
