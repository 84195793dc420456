"""Integration health in the Dagster UI: an asset with one partition per integration, observed by
the health sensor (and the CLI) with the health, the reason and the exact reconnect steps, so a
data engineer sees what to do without leaving the UI.

Observations, not asset checks: Dagster 1.13 stores runless check evaluations with an empty run
id, so a second evaluation of the same partition violates asset_check_executions' unique key, and
a job of partitioned checks on a non-materialisable asset cannot be built (both are previews).
"""

from collections.abc import Sequence

from dagster import (
    AssetKey,
    AssetObservation,
    AssetSpec,
    MetadataValue,
)

from monitr_pipeline.connections.health import check_integration, reconnect_steps
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, IntegrationInfo
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS

INTEGRATION_HEALTH = AssetKey(["integrations", "health"])

integration_health_spec = AssetSpec(
    INTEGRATION_HEALTH,
    partitions_def=INTEGRATION_PARTITIONS,
    group_name="integrations",
    kinds={"api"},
    description="Each integration's connection to its provider (one partition per integration, "
                "e.g. demo-exact_online-1), observed by the integration_health sensor: health, "
                "reason and the reconnect steps in the latest observation's metadata.",
)


def health_metadata(integration: IntegrationInfo, missing: Sequence[ConnectionInfo] = ()
                    ) -> dict[str, object]:
    checked = integration.health_checked_at
    return {
        "provider": integration.provider,
        "integration": f"{integration.name} (id {integration.integration_id})",
        "organisation": integration.organisation_slug,
        "status": integration.status,
        "health": integration.health,
        "reason": integration.health_reason or "",
        "reconnect_steps": MetadataValue.md(reconnect_steps(integration, missing) or "None needed."),
        "entities": integration.active_connections,
        "checked_at": checked.isoformat(timespec="seconds") if checked else "never",
    }


def health_events(integration: IntegrationInfo, missing: Sequence[ConnectionInfo] = ()
                  ) -> list[AssetObservation]:
    """What the sensor (and the CLI) report for one integration: an observation of its partition,
    tagged with its health so unhealthy ones can be filtered."""
    return [AssetObservation(INTEGRATION_HEALTH, partition=integration.partition_key,
                             metadata=health_metadata(integration, missing),
                             tags={"monitr/health": integration.health})]


def missing_administrations(control: ControlPlane, integration_id: int) -> list[ConnectionInfo]:
    return [c for c in control.connections() if c.integration_id == integration_id
            and c.not_found_since is not None]


def check_and_describe(control: ControlPlane, integration_id: int
                       ) -> tuple[IntegrationInfo, list[ConnectionInfo]]:
    checked = check_integration(control, integration_id)
    return checked, missing_administrations(control, integration_id)
