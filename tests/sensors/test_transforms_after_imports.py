"""The models are rebuilt once per import window, not once per landed import."""

from datetime import UTC, datetime, timedelta

from dagster import build_sensor_context

from monitr_pipeline.control.service import ImportRequest
from monitr_pipeline.definitions import defs
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.sensors.transforms_after_imports import transform_due

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def test_due_once_the_window_is_over_or_quiet():
    landed = NOW - timedelta(seconds=30)
    assert transform_due(None, 0, None, NOW) is None  # nothing ever landed
    assert transform_due(landed, 3, None, NOW) is None  # the window still runs
    assert transform_due(landed, 0, None, NOW) == landed.isoformat()
    assert transform_due(landed, 0, landed.isoformat(), NOW) is None  # built for it already
    stuck = NOW - timedelta(seconds=301)
    assert transform_due(stuck, 1, None, NOW) == stuck.isoformat()  # quiet: build anyway


def _tick(instance, cursor=None):
    sensor = defs.resolve_sensor_def("transforms_after_imports")
    with build_sensor_context(instance_ref=instance.get_ref(), definitions=defs, cursor=cursor,
                              resources={"monitr": MonitrResource()}) as context:
        result = sensor.evaluate_tick(context)
    return result


def test_one_build_for_a_window_of_imports(control, instance):
    organisation = control.ensure_organisation("night", "Night Accountants")
    integration = control.create_integration(organisation, "exact_online", "Exact Online",
                                             "oauth2", credentials={"token": {}})
    connections = [control.connect_entity(integration, str(n), f"Dossier {n}") for n in (1, 2)]
    ids = control.request_imports([ImportRequest(c.connection_id, "night:1", "schedule")
                                   for c in connections], launched=True)
    first, second = ids.values()
    control.start_import(connections[0].connection_id, "night:1", "schedule", None)
    control.finish_import(first, rows_loaded=10)
    assert _tick(instance).run_requests == []  # the second entity is still waiting
    control.start_import(connections[1].connection_id, "night:1", "schedule", None)
    control.finish_import(second, rows_loaded=0)
    result = _tick(instance)
    assert [r.job_name or "transform_dbt" for r in result.run_requests] == ["transform_dbt"]
    assert _tick(instance, cursor=result.cursor).run_requests == []  # built for this window
