"""Checks every integration's health on its own cadence, between imports, and shows it in the UI."""

from __future__ import annotations

import os

from dagster import DefaultSensorStatus, SensorEvaluationContext, SensorResult, sensor

from monitr_pipeline.assets.integration_health import check_and_describe, health_events
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.resources import MonitrResource

# Often enough to flag a revoked consent before the night's imports; rarely enough not to spend
# the providers' daily quotas (Exact: one discovery call per integration per check).
HEALTH_CHECK_INTERVAL_SECONDS = int(os.environ.get("MONITR_HEALTH_CHECK_SECONDS", 15 * 60))


@sensor(
    name="integration_health",
    minimum_interval_seconds=HEALTH_CHECK_INTERVAL_SECONDS,
    default_status=DefaultSensorStatus.RUNNING,
    description="Asks each connected integration's provider which administrations its login "
                "sees; records healthy, token expired, credentials rejected, administration not "
                "found or provider unreachable, with reconnect steps, on integrations/health.",
)
def integration_health(context: SensorEvaluationContext, monitr: MonitrResource) -> SensorResult:
    control = monitr.control_plane()
    live = control.integrations(include_deleted=False)
    known = set(context.instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name))
    new_keys = sorted({i.partition_key for i in live} - known)
    if new_keys:
        # The events below name these partitions: they must exist first.
        context.instance.add_dynamic_partitions(INTEGRATION_PARTITIONS.name, new_keys)
    events = []
    for integration in live:
        if integration.status == "pending_auth":
            events += health_events(integration)
            continue
        try:
            checked, missing = check_and_describe(control, integration.integration_id)
        except Exception as exc:  # noqa: BLE001 - one integration's surprise must not hide the rest
            context.log.warning(f"health check of integration {integration.integration_id} "
                                f"failed unexpectedly: {type(exc).__name__}: {exc}")
            continue
        events += health_events(checked, missing)
    return SensorResult(asset_events=events)
