"""Ends runs whose process died (killed, out of memory, machine restarted) without anyone acting."""

from dagster import DefaultSensorStatus, SensorEvaluationContext, SkipReason, sensor

from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.run_workers import end_dead_runs


@sensor(
    name="dead_runs",
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Fails runs whose process on this machine is gone: the Dagster run, its slots in "
                "the provider pools and its imports (Failed: the import process stopped "
                "unexpectedly), so later imports are not held up.",
)
def dead_runs(context: SensorEvaluationContext, monitr: MonitrResource) -> SkipReason:
    ended = end_dead_runs(context.instance, monitr.control_plane())
    for run in ended:
        context.log.warning(f"ended run {run.run_id} ({run.job_name}): {run.message}")
    # A housekeeping sensor requests no runs; the skip reason says what the tick did.
    return SkipReason(f"ended {len(ended)} run(s) whose process died" if ended
                      else "no run whose process died")
