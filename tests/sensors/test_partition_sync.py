"""The partition-sync sensor: a new connection gets its partition and a recorded first import,
which the import_queue sensor starts once the partition exists; a deleted one loses its
partition and keeps its data; thousands of new connections are added a bounded batch a tick."""

import pytest
from dagster import build_sensor_context

from monitr_pipeline.definitions import defs
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.runner import run_import, sync_partitions
from monitr_pipeline.sensors import partition_sync
from monitr_pipeline.warehouse import query

# Fewer connections than one tick of the import queue launches on SQLite storage (25).
WORLD_PROVIDERS = ("exact_online", "moneybird", "xero")

PARTITIONS = connection_partitions("exact_online").name


def _evaluate(instance, name):
    sensor = defs.resolve_sensor_def(name)
    # An instance *ref*, as the daemon passes: only then does the tick validate the run requests
    # against the instance's partitions.
    with build_sensor_context(instance_ref=instance.get_ref(), definitions=defs,
                              resources={"monitr": MonitrResource()}) as context:
        return sensor.evaluate_tick(context)


def _apply(instance, result):
    """What the daemon does with the sensor's partition requests after its evaluation."""
    for request in result.dynamic_partitions_requests:
        if request.__class__.__name__ == "AddDynamicPartitionsRequest":
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)


def _tick(instance):
    result = _evaluate(instance, "entity_partitions_sync")
    _apply(instance, result)
    return result


def test_new_connections_get_partitions_and_a_first_import(seeded, control, instance):
    result = _evaluate(instance, "entity_partitions_sync")
    assert result.run_requests == []  # the import_queue sensor asks for the runs
    statuses = control.import_statuses()
    assert {s.status for s in statuses} == {"Waiting"}
    assert len(statuses) == len(control.connections())
    # The queue ticks before the daemon has added the partitions: it waits for them.
    assert _evaluate(instance, "import_queue").run_requests == []
    _apply(instance, result)
    keys = sorted(c.partition_key for c in control.connections("exact_online"))
    assert sorted(instance.get_dynamic_partitions(PARTITIONS)) == keys
    launched = _evaluate(instance, "import_queue").run_requests
    assert len(launched) == len(control.connections())
    assert sorted(r.partition_key for r in launched
                  if r.job_name == "import_exact_online") == keys
    assert {r.tags["monitr/trigger"] for r in launched} == {"first-import"}
    # A second tick has nothing to do: no duplicate imports, no duplicate partitions.
    again = _tick(instance)
    assert again.run_requests == [] and again.dynamic_partitions_requests == []
    assert _evaluate(instance, "import_queue").run_requests == []


def test_deleted_connection_loses_partition_and_keeps_data(seeded, control, instance, settings):
    sync_partitions(control, instance)
    connection = control.connections("exact_online")[0]
    assert run_import(defs, instance, control, connection).success
    [(rows,)] = query(settings, "select count(*) from raw_exact_online.gl_transaction_lines "
                                "where _monitr_entity_id = ?", (connection.entity_id,))
    assert rows > 0

    control.delete_connection(connection.connection_id)
    result = _tick(instance)
    assert result.run_requests == []
    assert connection.partition_key not in instance.get_dynamic_partitions(PARTITIONS)
    assert len(instance.get_dynamic_partitions(PARTITIONS)) == 3
    [(kept,)] = query(settings, "select count(*) from raw_exact_online.gl_transaction_lines "
                                "where _monitr_entity_id = ?", (connection.entity_id,))
    assert kept == rows
    assert connection.partition_key not in {s.partition_key for s in control.import_statuses()}


@pytest.fixture
def many(control):
    organisation = control.ensure_organisation("many", "Many Dossiers")
    integration = control.create_integration(organisation, "exact_online", "Exact Online",
                                             "oauth2", credentials={"token": {}})
    return [control.connect_entity(integration, str(100 + n), f"Dossier {n}") for n in range(7)]


def test_a_tick_adds_a_bounded_batch_oldest_first(control, instance, many, monkeypatch):
    monkeypatch.setattr(partition_sync, "PARTITIONS_PER_TICK", 3)
    added, launched = [], []
    for _ in range(3):
        result = _tick(instance)
        [request] = result.dynamic_partitions_requests
        assert len(request.partition_keys) <= 3
        added += request.partition_keys
        launched += [r.partition_key for r in _evaluate(instance, "import_queue").run_requests]
    keys = [c.partition_key for c in many]
    assert added == keys  # oldest connection first, none twice, none skipped
    assert instance.get_dynamic_partitions(PARTITIONS) == keys
    assert launched == keys  # each first import once its partition is there
    assert _tick(instance).dynamic_partitions_requests == []


def test_removals_go_first_while_additions_wait(control, instance, many, monkeypatch):
    monkeypatch.setattr(partition_sync, "PARTITIONS_PER_TICK", 3)
    instance.add_dynamic_partitions(PARTITIONS, [c.partition_key for c in many[:2]])
    for connection in many[:2]:
        control.delete_connection(connection.connection_id)
    requests = {type(r).__name__: r for r in _tick(instance).dynamic_partitions_requests}
    deleted, added = (requests["DeleteDynamicPartitionsRequest"],
                      requests["AddDynamicPartitionsRequest"])
    assert sorted(deleted.partition_keys) == sorted(c.partition_key for c in many[:2])
    assert added.partition_keys == [many[2].partition_key]
    while _tick(instance).dynamic_partitions_requests:
        pass
    assert instance.get_dynamic_partitions(PARTITIONS) == [c.partition_key for c in many[2:]]


def test_a_plan_without_a_limit_adds_everything(control, instance, many):
    plan = sync_partitions(control, instance)
    assert plan.deferred == 0 and len(plan.additions["exact_online"]) == len(many)
