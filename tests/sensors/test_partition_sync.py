"""The partition-sync sensor: a new connection gets its partition and first import; a deleted one
loses its partition and keeps its data."""

from dagster import build_sensor_context

from monitr_pipeline.definitions import defs
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.runner import run_import, sync_partitions
from monitr_pipeline.warehouse import query

PARTITIONS = connection_partitions("exact_online").name


def _tick(instance):
    sensor = defs.resolve_sensor_def("entity_partitions_sync")
    # An instance *ref*, as the daemon passes: only then does the tick validate the run requests
    # against the partitions it adds in the same result.
    with build_sensor_context(instance_ref=instance.get_ref(), definitions=defs,
                              resources={"monitr": MonitrResource()}) as context:
        result = sensor.evaluate_tick(context)
    for request in result.dynamic_partitions_requests:
        if request.__class__.__name__ == "AddDynamicPartitionsRequest":
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def test_new_connections_get_partitions_and_a_first_import(seeded, control, instance):
    result = _tick(instance)
    keys = sorted(c.partition_key for c in control.connections("exact_online"))
    assert sorted(instance.get_dynamic_partitions(PARTITIONS)) == keys
    exact_requests = [r for r in result.run_requests if r.job_name == "import_exact_online"]
    assert sorted(r.partition_key for r in exact_requests) == keys
    assert len(result.run_requests) == len(control.connections())
    assert {s.status for s in control.import_statuses()} == {"Waiting"}
    # A second tick has nothing to do: no duplicate runs, no duplicate partitions.
    again = _tick(instance)
    assert again.run_requests == [] and again.dynamic_partitions_requests == []


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
