"""Refreshes the import status board whenever the control plane's import statuses changed: a
cheap marker query per tick, a run only when the marker moved and no refresh is already pending."""

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from monitr_pipeline.assets.import_status_board import REFRESH_JOB, refresh_import_status_board
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.tags import TRIGGER_TAG

_PENDING = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
            DagsterRunStatus.STARTED]


@sensor(
    name="import_status_board_refresh",
    job=refresh_import_status_board,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Asks for a refresh of imports/status_board when an import was requested, "
                "started or ended, a connection was made or deleted, or an integration's "
                "health changed since the board's last refresh.",
)
def import_status_board_refresh(context: SensorEvaluationContext, monitr: MonitrResource):
    marker = monitr.control_plane().import_status_marker()
    if marker == context.cursor:
        return SkipReason("no import status changed since the board's last refresh")
    # With the embedded warehouse runs go one at a time: refreshes piling up behind a night of
    # imports would only repeat each other. The cursor stays, so a later tick asks again.
    if context.instance.get_run_records(RunsFilter(job_name=REFRESH_JOB, statuses=_PENDING),
                                        limit=1):
        return SkipReason("a refresh of the board is already queued or running")
    context.update_cursor(marker)
    return RunRequest(run_key=f"import-status-board:{marker}",
                      tags={TRIGGER_TAG: "import-status-changed"})
