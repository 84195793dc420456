"""Checks every integration's health on its own cadence, between imports, and shows it in the UI."""

from __future__ import annotations

import hashlib
import json
import os
import time

from dagster import DefaultSensorStatus, SensorEvaluationContext, SensorResult, sensor

from monitr_pipeline.assets.integration_health import (
    check_and_describe,
    health_events,
    health_metadata,
)
from monitr_pipeline.connections.health import NEEDS_ACTION
from monitr_pipeline.control.models import Health
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.resources import MonitrResource

# Often enough to flag a revoked consent before the night's imports; rarely enough not to spend
# the providers' daily quotas (Exact: one discovery call per integration per check).
HEALTH_CHECK_INTERVAL_SECONDS = int(os.environ.get("MONITR_HEALTH_CHECK_SECONDS", 15 * 60))
# Dagster gives a sensor evaluation 60 s (DAGSTER_SENSOR_GRPC_TIMEOUT_SECONDS). A tick stops asking
# providers after this many seconds; the integrations checked longest ago go first, so the rest
# are asked on the next ticks instead of the whole tick timing out.
HEALTH_CHECK_BUDGET_SECONDS = float(os.environ.get("MONITR_HEALTH_CHECK_BUDGET_SECONDS", 40))


@sensor(
    name="integration_health",
    minimum_interval_seconds=HEALTH_CHECK_INTERVAL_SECONDS,
    default_status=DefaultSensorStatus.RUNNING,
    description="Asks each connected integration's provider which administrations its login "
                "sees; records healthy, token expired, credentials rejected, administration not "
                "found or provider unreachable, with reconnect steps, on integrations/health "
                "(an observation when an integration's health changes).",
)
def integration_health(context: SensorEvaluationContext, monitr: MonitrResource) -> SensorResult:
    control = monitr.control_plane()
    live = control.integrations(include_deleted=False)
    known = set(context.instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name))
    new_keys = sorted({i.partition_key for i in live} - known)
    if new_keys:
        # The events below name these partitions: they must exist first.
        context.instance.add_dynamic_partitions(INTEGRATION_PARTITIONS.name, new_keys)
    reported = json.loads(context.cursor) if context.cursor else {}
    now_reported, events = {}, []
    started, asked = time.monotonic(), 0
    for integration in sorted(live, key=_checked_longest_ago):
        key = integration.partition_key
        if asked and time.monotonic() - started > HEALTH_CHECK_BUDGET_SECONDS:
            if key in reported:
                now_reported[key] = reported[key]
            continue
        if integration.status == "pending_auth" or Health(integration.health) in NEEDS_ACTION:
            # Nothing to ask: a consent not finished, or one only a person can mend (a new
            # consent or key resets the health). Probing would only spend the provider's error
            # budget (Exact blocks an endpoint for an hour after 10 errors).
            checked, missing = integration, []
        else:
            asked += 1
            try:
                checked, missing = check_and_describe(control, integration.integration_id)
            except Exception as exc:  # noqa: BLE001 - one integration's surprise must not hide the rest
                context.log.warning(f"health check of integration {integration.integration_id} "
                                    f"failed unexpectedly: {type(exc).__name__}: {exc}")
                if key in reported:
                    now_reported[key] = reported[key]
                continue
        # Observe what changed only: a tick every 15 minutes must not grow the event log by one
        # event per integration when nothing happened.
        digest = _digest(health_metadata(checked, missing))
        now_reported[key] = digest
        if reported.get(key) != digest:
            events += health_events(checked, missing)
    return SensorResult(asset_events=events, cursor=json.dumps(now_reported, sort_keys=True))


def _checked_longest_ago(integration) -> float:  # noqa: ANN001 - IntegrationInfo
    # Never checked first. Seconds, not datetimes: SQLite hands back naive ones, Postgres aware.
    checked = integration.health_checked_at
    return checked.timestamp() if checked else float("-inf")


def _digest(metadata: dict[str, object]) -> str:
    # What the UI shows, without the moment of the check (which changes on every tick).
    shown = {k: str(getattr(v, "value", v)) for k, v in metadata.items() if k != "checked_at"}
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]
