"""Integration health in the Dagster UI: an asset with one partition per integration, materialised
by the check_integration_health job (requested by the integration_health sensor, or run by
`monitr integrations check`), so a data engineer sees which integration is broken, why, and the
exact reconnect steps without leaving the UI.

A run checks one integration. Healthy: the partition materialises with the health metadata.
Unhealthy: the run raises `Failure` with the same metadata and a description naming the
integration, its health, the reason and the reconnect steps; Dagster 1.13 then gives that
partition the status Failed (red in the partition bar and the asset's health) until a later run
materialises it. Checked here: MATERIALIZED -> FAILED -> MATERIALIZED per partition through
`DagsterInstance.get_status_by_partition`, the Failure's metadata on the STEP_FAILURE event.

Not observations (what this module did before): an observation cannot fail, so an expired token
showed as green as a healthy one and every partition stayed "Missing". Not asset checks: Dagster
1.13 stores runless check evaluations with an empty run id (a second evaluation of the same
partition violates asset_check_executions' unique key), and partitioned checks are a preview; a
failed run of a partitioned asset is the red the UI has long shown per partition.
"""

from collections.abc import Sequence

from dagster import (
    AssetExecutionContext,
    AssetKey,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    define_asset_job,
    in_process_executor,
)

from monitr_pipeline.assets.owners import DATA_OWNER
from monitr_pipeline.connections.health import NEEDS_ACTION, check_integration, reconnect_steps
from monitr_pipeline.control.models import Health
from monitr_pipeline.control.service import (
    ConnectionInfo,
    ControlPlane,
    IntegrationInfo,
    UnknownRecord,
)
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.run_workers import record_worker
from monitr_pipeline.tags import HEALTH_CHECK_JOB

INTEGRATION_HEALTH = AssetKey(["integrations", "health"])


@asset(
    key=INTEGRATION_HEALTH,
    partitions_def=INTEGRATION_PARTITIONS,
    group_name="integrations",
    owners=[DATA_OWNER],
    kinds={"api"},
    description="Each integration's connection to its provider (one partition per integration, "
                "e.g. demo-exact_online-1): materialised when healthy, failed (red) when a token "
                "expired, credentials were rejected, an administration vanished or the provider "
                "is unreachable, with the reason and the reconnect steps in the metadata.",
)
def integration_health_asset(context: AssetExecutionContext, monitr: MonitrResource
                             ) -> MaterializeResult:
    record_worker(context.instance, context.run)
    control = monitr.control_plane()
    integration = integration_for_partition(control, context.partition_key)
    if needs_a_person(integration) or integration.is_deleted:
        # Nothing to ask: a consent not finished, or one only a person can mend (a new consent
        # or key resets the health). Asking would only spend the provider's error budget (Exact
        # blocks an endpoint for an hour after 10 errors).
        checked, missing = integration, missing_administrations(control, integration.integration_id)
    else:
        checked, missing = check_and_describe(control, integration.integration_id)
    metadata = health_metadata(checked, missing)
    if is_unhealthy(checked):
        raise Failure(description=failure_description(checked, missing), metadata=metadata,
                      allow_retries=False)
    return MaterializeResult(metadata=metadata)


check_integration_health_job = define_asset_job(
    name=HEALTH_CHECK_JOB,
    selection=[INTEGRATION_HEALTH],
    description="Check one integration's connection to its provider (one partition per "
                "integration); the run fails when the integration needs reconnecting.",
    # One short step: a step subprocess would cost more than the check.
    executor_def=in_process_executor,
)


def needs_a_person(integration: IntegrationInfo) -> bool:
    return integration.status == "pending_auth" or Health(integration.health) in NEEDS_ACTION


def is_unhealthy(integration: IntegrationInfo) -> bool:
    # A deleted integration needs nothing; its partition goes with it (the sensor removes it).
    return not integration.is_deleted and (integration.status == "pending_auth"
                                           or integration.health != Health.HEALTHY.value)


def integration_for_partition(control: ControlPlane, partition_key: str) -> IntegrationInfo:
    """The integration a partition key (<organisation>-<provider>-<integration id>) names."""
    _, _, integration_id = partition_key.rpartition("-")
    try:
        integration = control.integration_info(int(integration_id))
    except (ValueError, UnknownRecord):
        integration = None
    if integration is None or integration.partition_key != partition_key:
        raise Failure(description=f"No integration has the partition {partition_key!r}.",
                      allow_retries=False)
    return integration


def health_reason(integration: IntegrationInfo) -> str:
    if integration.status == "pending_auth" and not integration.health_reason:
        return f"the consent at {integration.name} was started but never finished"
    return integration.health_reason or ""


def health_steps(integration: IntegrationInfo, missing: Sequence[ConnectionInfo] = ()) -> str:
    if integration.status == "pending_auth":
        return (f"Run `monitr integrations reconnect {integration.integration_id}` and approve "
                f"access at {integration.name}.")
    return reconnect_steps(integration, missing)


def health_metadata(integration: IntegrationInfo, missing: Sequence[ConnectionInfo] = ()
                    ) -> dict[str, object]:
    checked = integration.health_checked_at
    return {
        "provider": integration.provider,
        "integration": f"{integration.name} (id {integration.integration_id})",
        "organisation": integration.organisation_slug,
        "status": integration.status,
        "health": integration.health,
        "reason": health_reason(integration),
        "reconnect_steps": MetadataValue.md(health_steps(integration, missing) or "None needed."),
        "entities": integration.active_connections,
        "checked_at": checked.isoformat(timespec="seconds") if checked else "never",
    }


def failure_description(integration: IntegrationInfo, missing: Sequence[ConnectionInfo] = ()
                        ) -> str:
    health = "pending_auth" if integration.status == "pending_auth" else integration.health
    return (f"{integration.name} (integration {integration.integration_id}, "
            f"{integration.organisation_slug}) is {health}: {health_reason(integration)}\n\n"
            f"To fix: {health_steps(integration, missing) or 'see the reason.'}")


def missing_administrations(control: ControlPlane, integration_id: int) -> list[ConnectionInfo]:
    return [c for c in control.connections() if c.integration_id == integration_id
            and c.not_found_since is not None]


def check_and_describe(control: ControlPlane, integration_id: int
                       ) -> tuple[IntegrationInfo, list[ConnectionInfo]]:
    checked = check_integration(control, integration_id)
    return checked, missing_administrations(control, integration_id)
