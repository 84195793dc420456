"""A run that fails before its asset can record the outcome is written back by the failure sensor."""

from dagster import DagsterEventType, build_run_status_sensor_context

from monitr_pipeline.definitions import defs
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.runner import run_import, sync_partitions
from monitr_pipeline.sensors.import_status import import_failure_status


def test_failed_run_marks_its_import_failed(seeded, control, instance):
    sync_partitions(control, instance)
    connection = control.connections("exact_online")[0]
    # Deleted between the request and the run: the asset refuses before it starts the import.
    control.delete_connection(connection.connection_id)
    outcome = run_import(defs, instance, control, connection)
    assert not outcome.success
    [requested] = control.import_runs(connection.connection_id)
    assert requested.status.value == "Waiting"

    run = instance.get_run_by_id(outcome.run_id)
    [failure] = instance.get_records_for_run(
        outcome.run_id, of_type=DagsterEventType.RUN_FAILURE).records
    context = build_run_status_sensor_context(
        sensor_name="import_failure_status", dagster_event=failure.event_log_entry.dagster_event,
        dagster_instance=instance, dagster_run=run,
        resources={"monitr": MonitrResource()}).for_run_failure()
    import_failure_status(context)

    [recorded] = control.import_runs(connection.connection_id)
    assert recorded.status.value == "Failed"
    assert "was deleted" in recorded.error and connection.entity_name in recorded.error
