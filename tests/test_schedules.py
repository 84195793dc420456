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


def _freshness(instance, node, at):
    # Dagster's own evaluator (what its freshness daemon runs), at a chosen moment.
    import asyncio

    from dagster._core.definitions.freshness_evaluator import CronFreshnessPolicyEvaluator
    from dagster._core.loader import LoadingContextForTest
    from dagster._core.test_utils import freeze_time

    with freeze_time(at):
        return asyncio.run(CronFreshnessPolicyEvaluator().evaluate_freshness(
            LoadingContextForTest(instance), node)).value


def test_raw_imports_are_late_when_a_night_passes_without_one():
    from dagster import AssetKey, AssetMaterialization, DagsterInstance
    from dagster._core.test_utils import freeze_time

    graph = defs.resolve_asset_graph()
    raw_keys = [key for key in graph.get_all_asset_keys() if key.path[0] == "raw"]
    assert raw_keys and all(graph.get(key).freshness_policy is not None for key in raw_keys)
    lines = graph.get(AssetKey(["raw", "exact_online", "gl_transaction_lines"]))
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with DagsterInstance.ephemeral() as instance:
        # The 04:00 run of 24 November lands one entity at 04:20.
        with freeze_time(datetime(2026, 11, 24, 4, 20, tzinfo=amsterdam)):
            instance.report_runless_asset_event(AssetMaterialization(lines.key, partition="x"))
        assert _freshness(instance, lines, datetime(2026, 11, 24, 9, 0, tzinfo=amsterdam)) == "PASS"
        assert _freshness(instance, lines, datetime(2026, 11, 25, 5, 59, tzinfo=amsterdam)) == "PASS"
        # The night of the 25th ended at 06:00 without an import: late until one lands.
        assert _freshness(instance, lines, datetime(2026, 11, 25, 6, 1, tzinfo=amsterdam)) == "FAIL"
