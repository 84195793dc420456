"""Nightly imports: every active partition of every provider, twice per night, Amsterdam time;
and the freshness expected of what they load."""

from datetime import timedelta
from functools import cache

from dagster import (
    DefaultScheduleStatus,
    FreshnessPolicy,
    JobDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from monitr_pipeline.control.service import ImportRequest
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.sensors.import_queue import import_run_request, launch_batch

NIGHTLY_HOURS = (1, 4)  # 01:00 and 04:00, before accountants start their day
NIGHTLY_CRON = f"0 {','.join(str(hour) for hour in NIGHTLY_HOURS)} * * *"
TIMEZONE = "Europe/Amsterdam"
# A night's second run, its queue of thousands of entities and their retries, has ended by then.
NIGHT_GRACE = timedelta(hours=2)


@cache  # Dagster validates a cron policy by walking its schedule (~8 ms); one policy for all
def nightly_import_freshness() -> FreshnessPolicy:
    """The one freshness expectation of the raw import assets, derived from the schedule: loaded
    during the last import night, between its first run (01:00) and NIGHT_GRACE after its last
    (06:00). Dagster shows an asset not materialised in that window as failing its
    freshness from 06:00 until it is. A partitioned asset is as fresh as its latest partition:
    one entity that did not import shows on the imports/status_board asset, not here."""
    deadline_hour = max(NIGHTLY_HOURS) + int(NIGHT_GRACE.total_seconds() // 3600)
    return FreshnessPolicy.cron(
        deadline_cron=f"0 {deadline_hour} * * *",
        lower_bound_delta=timedelta(hours=deadline_hour - min(NIGHTLY_HOURS)),
        timezone=TIMEZONE,
    )


def nightly_request_key(provider: str, scheduled_iso: str) -> str:
    return f"nightly:{provider}:{scheduled_iso}"


def build_nightly_schedule(provider: str, job: JobDefinition):
    @schedule(
        name=f"nightly_{provider}",
        job=job,
        cron_schedule=NIGHTLY_CRON,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
        description=f"Imports every connected {provider} entity at 01:00 and 04:00 ({TIMEZONE}).",
    )
    def nightly(context: ScheduleEvaluationContext, monitr: MonitrResource):
        control = monitr.control_plane()
        existing = set(context.instance.get_dynamic_partitions(connection_partitions(provider).name))
        # A connection made since the last partition sync gets its partition (and first import)
        # from the sync sensor; the schedule only asks for partitions that exist.
        connections = [c for c in control.connections(provider) if c.partition_key in existing]
        if not connections:
            return SkipReason(f"no active {provider} connections")
        request_key = nightly_request_key(provider, context.scheduled_execution_time.isoformat())
        # Every import of the night is recorded (Waiting) in one transaction; the first batch's
        # runs are asked for now, the rest by the import_queue sensor, a batch per tick.
        requests = [ImportRequest(c.connection_id, request_key, "schedule") for c in connections]
        batch = launch_batch(monitr.settings())
        control.request_imports(requests[batch:])
        control.request_imports(requests[:batch], launched=True)
        return [import_run_request(connection, request)
                for connection, request in zip(connections[:batch], requests[:batch],
                                               strict=True)]

    return nightly
