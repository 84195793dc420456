"""Requests a health check run (check_integration_health) for each integration on its own cadence,
between imports; the runs ask the providers, never the tick.

A tick reads the integrations in one control-plane call (a statement for them, one per 500 for
their connection counts) and asks no provider, so it stays far inside Dagster's 60 s sensor
timeout: 10,000 integrations took about 5 s on a busy 2-core machine, most of it loading them.
The integrations due are requested checked-longest-ago first, at most a batch a tick; the rest
are first in line on the next tick.

An integration only a person can mend is requested once per recorded state (the cursor keeps
the state last requested for each such integration: the few broken ones, not every integration);
one whose check just found it broken is requested once more, showing the same red.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, sensor
from dagster._core.storage.tags import PRIORITY_TAG

from monitr_pipeline.assets.integration_health import check_integration_health_job, needs_a_person
from monitr_pipeline.control.service import IntegrationInfo
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.tags import HEALTH_INTERVAL_TRIGGER, health_check_tags

# Often enough to flag a revoked consent before the night's imports; rarely enough not to spend
# the providers' daily quotas (Exact: one discovery call per integration per check).
DEFAULT_CHECK_SECONDS = 15 * 60
# Runs requested per tick at most: a tick a minute, so up to this many checks a minute.
DEFAULT_BATCH = 100


def check_seconds() -> float:
    """How long after its last check an integration is checked again."""
    return float(os.environ.get("MONITR_HEALTH_CHECK_SECONDS") or DEFAULT_CHECK_SECONDS)


def batch_size() -> int:
    return int(os.environ.get("MONITR_HEALTH_CHECK_BATCH") or DEFAULT_BATCH)


@sensor(
    name="integration_health",
    job=check_integration_health_job,
    # Ticks often; each integration is still checked only every MONITR_HEALTH_CHECK_SECONDS.
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Requests a check_integration_health run for each integration whose last check "
                "is older than MONITR_HEALTH_CHECK_SECONDS (15 min by default), and at once for "
                "one whose recorded health changed to or from one only a person can mend; the "
                "run fails (red on integrations/health) when the integration needs reconnecting.",
)
def integration_health(context: SensorEvaluationContext, monitr: MonitrResource) -> SensorResult:
    live = monitr.control_plane().integrations(include_deleted=False)
    known = set(context.instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name))
    keys = {i.partition_key for i in live}
    partition_requests = []
    if keys - known:
        partition_requests.append(INTEGRATION_PARTITIONS.build_add_request(sorted(keys - known)))
    if known - keys:  # deleted integrations: nothing left to show
        partition_requests.append(INTEGRATION_PARTITIONS.build_delete_request(
            sorted(known - keys)))
    reported = json.loads(context.cursor) if context.cursor else {}
    now = datetime.now(UTC).timestamp()
    requested = due_integrations(live, reported, now, check_seconds())[:batch_size()]
    return SensorResult(
        run_requests=[health_run_request(i, now, check_seconds()) for i in requested],
        dynamic_partitions_requests=partition_requests,
        cursor=json.dumps(reported_after(live, reported, requested), sort_keys=True))


def due_integrations(integrations: Iterable[IntegrationInfo], reported: Mapping[str, str],
                     now: float, interval: float) -> list[IntegrationInfo]:
    """The integrations to check, in order: first those whose partition shows a state that is no
    longer recorded (needing a person since, or mended since), then those whose last check is
    older than the interval, checked longest ago first."""
    stale, due = [], []
    for integration in integrations:
        key = integration.partition_key
        if needs_a_person(integration):
            # Its run asks no provider and shows the recorded health: once per recorded state.
            if reported.get(key) != state_stamp(integration):
                stale.append(integration)
        elif key in reported:
            stale.append(integration)  # red in the UI, mended since (a new consent or key)
        elif now - checked_at(integration) >= interval:
            due.append(integration)
    return [*stale, *sorted(due, key=checked_at)]


def reported_after(integrations: Iterable[IntegrationInfo], reported: Mapping[str, str],
                   requested: Sequence[IntegrationInfo]) -> dict[str, str]:
    """The cursor: the recorded state each integration needing a person was last requested for.
    It holds only those (the few broken ones), so it stays small with thousands of integrations."""
    now_requested = {i.partition_key: i for i in requested}
    cursor = {}
    for integration in integrations:
        key = integration.partition_key
        if key in now_requested:
            if needs_a_person(integration):
                cursor[key] = state_stamp(integration)
        elif key in reported:
            cursor[key] = reported[key]  # not yet requested: stays stale until it is
    return cursor


def health_run_request(integration: IntegrationInfo, now: float, interval: float) -> RunRequest:
    # At most one run per integration per recorded state per interval: a tick that requests it
    # again before the run has checked it is deduplicated by Dagster.
    window = int(now // interval)
    return RunRequest(
        partition_key=integration.partition_key,
        run_key=f"{integration.partition_key}:{state_stamp(integration)}:{window}",
        # Queued behind imports: a check can wait minutes, a night's imports should not wait
        # for thousands of checks.
        tags={**health_check_tags(integration.provider, HEALTH_INTERVAL_TRIGGER),
              PRIORITY_TAG: "-1"})


def state_stamp(integration: IntegrationInfo) -> str:
    """The recorded health, as of its recording: changes whenever the health is recorded anew."""
    state = "pending_auth" if integration.status == "pending_auth" else integration.health
    checked = checked_at(integration)
    return f"{state}@{'never' if checked == float('-inf') else f'{checked:.6f}'}"


def checked_at(integration: IntegrationInfo) -> float:
    # Never checked first. SQLite hands back naive datetimes (UTC), Postgres aware ones.
    checked = integration.health_checked_at
    if checked is None:
        return float("-inf")
    return (checked if checked.tzinfo else checked.replace(tzinfo=UTC)).timestamp()
