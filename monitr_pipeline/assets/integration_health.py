"""Integration health in the Dagster UI: an asset with one partition per integration, observed by
the health sensor, and a check per partition that fails while the integration needs attention.

Each observation (from the sensor and the CLI) and each check result carries the health, the
reason and the exact reconnect steps, so a data engineer sees what to do without leaving the UI.
"""

import warnings
from collections.abc import Sequence

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    AssetObservation,
    AssetSpec,
    MetadataValue,
    asset_check,
)

from monitr_pipeline.connections.health import check_integration, reconnect_steps
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, IntegrationInfo
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.resources import MonitrResource

INTEGRATION_HEALTH = AssetKey(["integrations", "health"])
HEALTH_CHECK_NAME = "integration_is_healthy"

integration_health_spec = AssetSpec(
    INTEGRATION_HEALTH,
    partitions_def=INTEGRATION_PARTITIONS,
    group_name="integrations",
    kinds={"api"},
    description="Each integration's connection to its provider (one partition per integration, "
                "e.g. demo-exact_online-1): observed by the integration_health sensor; its check "
                "fails with the reason and the reconnect steps while the integration is unhealthy.",
)


def is_healthy(integration: IntegrationInfo) -> bool:
    return integration.health == "healthy" and integration.status == "connected"


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
    """What the sensor (and the CLI) report for one integration: an observation of its partition.

    Not a runless check evaluation: Dagster 1.13 stores those with an empty run id, so a second
    evaluation of the same partition violates asset_check_executions' unique key. The check
    itself runs on demand from the UI (a run), and fails with the same metadata.
    """
    return [AssetObservation(INTEGRATION_HEALTH, partition=integration.partition_key,
                             metadata=health_metadata(integration, missing),
                             tags={"monitr/health": integration.health})]


def integration_for_partition(control: ControlPlane, partition_key: str) -> IntegrationInfo:
    for integration in control.integrations():
        if integration.partition_key == partition_key:
            return integration
    raise LookupError(f"no integration has partition {partition_key!r}")


def missing_administrations(control: ControlPlane, integration_id: int) -> list[ConnectionInfo]:
    return [c for c in control.connections() if c.integration_id == integration_id
            and c.not_found_since is not None]


def check_and_describe(control: ControlPlane, integration_id: int
                       ) -> tuple[IntegrationInfo, list[ConnectionInfo]]:
    checked = check_integration(control, integration_id)
    return checked, missing_administrations(control, integration_id)


# Partitioned checks are a Dagster preview; we pin Dagster, and the warning would print on every
# command of the CLI.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec")


@asset_check(asset=INTEGRATION_HEALTH, name=HEALTH_CHECK_NAME, partitions_def=INTEGRATION_PARTITIONS,
             description="Asks the provider now whether the integration's login works and still "
                         "sees every connected administration.")
def integration_is_healthy(context: AssetCheckExecutionContext, monitr: MonitrResource
                           ) -> AssetCheckResult:
    control = monitr.control_plane()
    integration = integration_for_partition(control, context.partition_key)
    checked, missing = check_and_describe(control, integration.integration_id)
    return AssetCheckResult(passed=is_healthy(checked), severity=AssetCheckSeverity.ERROR,
                            metadata=health_metadata(checked, missing))
