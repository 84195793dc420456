"""Writes the outcome of import runs that failed outside the asset body back to the control plane."""

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunStatusSensorContext,
    run_failure_sensor,
    run_status_sensor,
)

from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.tags import PROVIDER_TAG, REQUEST_KEY_TAG


def _record_failure(context: RunStatusSensorContext, monitr: MonitrResource, reason: str) -> None:
    run = context.dagster_run
    provider = run.tags.get(PROVIDER_TAG)
    partition_key = run.tags.get("dagster/partition")
    if not provider or not partition_key:
        return
    control = monitr.control_plane()
    # The asset marks its own failures; this catches runs that died before or around it.
    if control.fail_unfinished_imports(run.run_id, reason):
        return
    request_key = run.tags.get(REQUEST_KEY_TAG)
    if request_key:
        try:
            connection = control.connection_for_partition(provider, partition_key)
        except LookupError:
            return
        control.fail_requested_import(connection.connection_id, request_key, reason)


@run_failure_sensor(name="import_failure_status", monitor_all_code_locations=False,
                    default_status=DefaultSensorStatus.RUNNING)
def import_failure_status(context: RunFailureSensorContext, monitr: MonitrResource):
    # The step's own error says why (e.g. the connection was deleted); the run event only that
    # steps failed.
    step_errors = [event.event_specific_data.error.message.strip()
                   for event in context.get_step_failure_events()
                   if event.event_specific_data and event.event_specific_data.error]
    message = "; ".join(step_errors) or (context.failure_event.message if context.failure_event
                                         else None) or "the run failed"
    _record_failure(context, monitr, message)


@run_status_sensor(name="import_canceled_status", run_status=DagsterRunStatus.CANCELED,
                   default_status=DefaultSensorStatus.RUNNING)
def import_canceled_status(context: RunStatusSensorContext, monitr: MonitrResource):
    _record_failure(context, monitr, "the import run was canceled")
