"""The nightly schedule: every active partition, twice per night, Amsterdam time, running by default."""

from datetime import datetime
from zoneinfo import ZoneInfo

from dagster import build_schedule_context

from monitr_pipeline.definitions import defs
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.runner import sync_partitions

RESOURCES = {"monitr": MonitrResource()}


def test_nightly_schedule_requests_every_active_partition(seeded, control, instance):
    sync_partitions(control, instance)
    deleted = control.connections("exact_online")[0]
    control.delete_connection(deleted.connection_id)
    schedule = defs.resolve_schedule_def("nightly_exact_online")
    tick = datetime(2026, 11, 24, 1, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with build_schedule_context(instance=instance, scheduled_execution_time=tick,
                                resources=RESOURCES,
                                repository_def=defs.get_repository_def()) as context:
        result = schedule.evaluate_tick(context)
    keys = sorted(r.partition_key for r in result.run_requests)
    assert keys == sorted(c.partition_key for c in control.connections("exact_online"))
    assert deleted.partition_key not in keys
    assert all(r.tags["monitr/trigger"] == "schedule" for r in result.run_requests)
    assert len({r.run_key for r in result.run_requests}) == len(keys)
    assert {s.status for s in control.import_statuses("exact_online")} == {"Waiting"}


def test_nightly_schedule_skips_without_connections(control, instance):
    schedule = defs.resolve_schedule_def("nightly_exact_online")
    with build_schedule_context(instance=instance, resources=RESOURCES,
                                repository_def=defs.get_repository_def()) as context:
        result = schedule.evaluate_tick(context)
    assert result.run_requests == [] and "no active" in result.skip_message
