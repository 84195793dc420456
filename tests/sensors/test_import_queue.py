"""A night of many entities: every import recorded Waiting at once, runs asked for a batch per
tick (the schedule's first batch, then the import_queue sensor), never twice, oldest first."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dagster import build_schedule_context, build_sensor_context

from monitr_pipeline.control.service import ImportRequest
from monitr_pipeline.definitions import defs
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.runner import sync_partitions
from monitr_pipeline.sensors import import_queue
from monitr_pipeline.settings import Settings

RESOURCES = {"monitr": MonitrResource()}
ENTITIES = 7


@pytest.fixture
def connections(control, instance):
    organisation = control.ensure_organisation("night", "Night Accountants")
    integration = control.create_integration(organisation, "exact_online", "Exact Online",
                                             "oauth2", credentials={"token": {}})
    made = [control.connect_entity(integration, str(100 + n), f"Dossier {n}")
            for n in range(ENTITIES)]
    sync_partitions(control, instance)
    return made


def test_batches_record_once_and_launch_once(control, connections):
    requests = [ImportRequest(c.connection_id, "night:1", "schedule") for c in connections]
    ids = control.request_imports(requests[3:])
    assert control.request_imports(requests[3:]) == ids  # asked again: the same runs
    control.request_imports(requests[:3], launched=True)
    handed_out = control.unlaunched_imports(limit=2)
    assert [c.partition_key for c, _ in handed_out] == [c.partition_key for c in connections[3:5]]
    rest = control.unlaunched_imports(limit=100)
    assert [c.partition_key for c, _ in rest] == [c.partition_key for c in connections[5:]]
    assert control.unlaunched_imports(limit=100) == []
    assert {s.status for s in control.import_statuses()} == {"Waiting"}


def test_the_night_is_launched_a_batch_per_tick(control, instance, connections, monkeypatch):
    monkeypatch.setattr(import_queue, "LAUNCH_BATCH", 3)  # the schedule's batch too
    deleted = connections[-1]
    control.delete_connection(deleted.connection_id)
    schedule = defs.resolve_schedule_def("nightly_exact_online")
    tick = datetime(2026, 11, 24, 1, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with build_schedule_context(instance=instance, scheduled_execution_time=tick,
                                resources=RESOURCES,
                                repository_def=defs.get_repository_def()) as context:
        first = schedule.evaluate_tick(context).run_requests
    sensor = defs.resolve_sensor_def("import_queue")
    launched = []
    for _ in range(3):
        with build_sensor_context(instance_ref=instance.get_ref(), definitions=defs,
                                  resources=RESOURCES) as context:
            launched.append(sensor.evaluate_tick(context).run_requests)
    keys = [r.partition_key for r in first] + [r.partition_key for batch in launched
                                                for r in batch]
    active = [c.partition_key for c in connections[:-1]]
    assert [len(first), *map(len, launched)] == [3, 3, 0, 0]
    assert keys == active  # every active entity once, oldest connection first
    assert all(r.tags["monitr/trigger"] == "schedule" and r.job_name == "import_exact_online"
               for batch in (first, *launched) for r in batch)
    assert {s.status for s in control.import_statuses()} == {"Waiting"}


def test_the_embedded_storage_launches_small_batches():
    # Creating a run on SQLite storage takes most of a second (bench/fan_out.py): a tick of 500
    # would outlast Dagster's 60 s; on Postgres it takes milliseconds.
    embedded = Settings.from_env({"MONITR_HOME": "/tmp/monitr-unused"})
    postgres = Settings.from_env({"MONITR_HOME": "/tmp/monitr-unused",
                                  "MONITR_DAGSTER_PG_URL": "postgresql://dagster@db/dagster"})
    assert import_queue.launch_batch(embedded) == import_queue.EMBEDDED_LAUNCH_BATCH == 25
    assert import_queue.launch_batch(postgres) == import_queue.LAUNCH_BATCH == 500
