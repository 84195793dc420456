"""The status board is refreshed when import statuses change, once per change, never while a
refresh is still pending."""

from dagster import DagsterRunStatus, build_sensor_context
from dagster._core.test_utils import create_run_for_test

from monitr_pipeline.assets.import_status_board import REFRESH_JOB
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.sensors.import_status_board import import_status_board_refresh


def _tick(instance, cursor=None):
    with build_sensor_context(instance=instance, cursor=cursor,
                              resources={"monitr": MonitrResource()}) as context:
        return import_status_board_refresh.evaluate_tick(context)


def test_refresh_requested_once_per_change(control, instance):
    organisation = control.ensure_organisation("night", "Night Accountants")
    integration = control.create_integration(organisation, "exact_online", "Exact Online",
                                             "oauth2", credentials={"token": {}})
    connection = control.connect_entity(integration, "1", "Dossier 1")

    first = _tick(instance)
    assert [r.run_key for r in first.run_requests] == [f"import-status-board:{first.cursor}"]
    unchanged = _tick(instance, cursor=first.cursor)
    assert unchanged.run_requests == [] and "no import status changed" in unchanged.skip_message

    control.request_import(connection.connection_id, "nightly:1", "schedule")
    requested = _tick(instance, cursor=first.cursor)
    assert len(requested.run_requests) == 1 and requested.cursor != first.cursor

    control.start_import(connection.connection_id, "nightly:1", "schedule", None)
    create_run_for_test(instance, job_name=REFRESH_JOB, status=DagsterRunStatus.STARTED)
    pending = _tick(instance, cursor=requested.cursor)
    # Not now, and the change is kept for the tick after the pending refresh.
    assert pending.run_requests == [] and "already queued" in pending.skip_message
    assert pending.cursor == requested.cursor
