"""The integration health sensor: each tick adds the integrations' partitions and requests a
check_integration_health run for each integration due (checked longest ago first, a batch at
most), once per recorded state for those only a person can mend; it never asks a provider."""

import time
from types import SimpleNamespace

from dagster import AddDynamicPartitionsRequest, build_sensor_context
from sqlalchemy import event, insert

from monitr_pipeline.control.db import engine_for
from monitr_pipeline.control.models import (
    AuthKind,
    ConnectionKind,
    Entity,
    EntityConnection,
    Health,
    Integration,
    IntegrationStatus,
    Organisation,
)

from monitr_pipeline.definitions import defs
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.sensors.integration_health import checked_at
from monitr_pipeline.tags import HEALTH_INTERVAL_TRIGGER, PROVIDER_TAG, TRIGGER_TAG

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs


def _tick(world, after=None):
    """One evaluation, continuing from the tick `after` (as the daemon passes the cursor on),
    with its partition requests applied as the daemon applies them."""
    sensor = defs.resolve_sensor_def("integration_health")
    # An instance ref, as the daemon passes: only then does the tick validate the run requests
    # against the partitions it adds in the same result.
    with build_sensor_context(instance_ref=world.instance.get_ref(), definitions=defs,
                              cursor=after.cursor if after else None,
                              resources={"monitr": MonitrResource()}) as context:
        result = sensor.evaluate_tick(context)
    for request in result.dynamic_partitions_requests or ():
        if isinstance(request, AddDynamicPartitionsRequest):
            world.instance.add_dynamic_partitions(request.partitions_def_name,
                                                  request.partition_keys)
        else:
            for key in request.partition_keys:
                world.instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def _provider_requests(world):
    return sum(len(emulator.request_log) for emulator in world.sandbox.emulators.values())


def _requested(result):
    return [r.partition_key for r in result.run_requests]


def test_a_tick_requests_a_check_per_integration_due_and_asks_no_provider(world, monkeypatch):
    monkeypatch.setenv("MONITR_HEALTH_CHECK_SECONDS", "1")  # everything checked at seeding is due
    integrations = world.control.integrations()
    asked = _provider_requests(world)

    result = _tick(world)

    assert _provider_requests(world) == asked
    assert sorted(world.instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name)) == sorted(
        i.partition_key for i in integrations)
    oldest_first = sorted(integrations, key=checked_at)
    assert _requested(result) == [i.partition_key for i in oldest_first]
    for request, integration in zip(result.run_requests, oldest_first):
        assert request.job_name in (None, "check_integration_health")
        assert request.tags[TRIGGER_TAG] == HEALTH_INTERVAL_TRIGGER
        assert request.tags[PROVIDER_TAG] == integration.provider
        assert int(request.tags["dagster/priority"]) < 0  # imports go first
        assert request.run_key.startswith(f"{integration.partition_key}:healthy@")
    # The same tick again asks for the same runs under the same run keys: Dagster runs each once.
    assert [r.run_key for r in _tick(world, after=result).run_requests] == [
        r.run_key for r in result.run_requests]

    monkeypatch.setenv("MONITR_HEALTH_CHECK_BATCH", "2")
    assert _requested(_tick(world)) == [i.partition_key for i in oldest_first[:2]]


def _all_checked_now(world):
    for integration in world.control.integrations(include_deleted=False):
        world.control.set_health(integration.integration_id, "healthy")


def test_integrations_checked_within_the_interval_are_not_requested(world):
    _all_checked_now(world)
    assert _tick(world).run_requests == []


def test_one_needing_a_person_is_requested_once_per_recorded_state_and_again_when_mended(world):
    _all_checked_now(world)
    first = _tick(world)
    exact_nl = next(i for i in world.control.integrations()
                    if i.provider == "exact_online" and i.environment == "nl")
    world.control.set_health(exact_nl.integration_id, "token_expired", "Exact Online: refresh "
                             "token revoked")

    flagged = _tick(world, after=first)
    [request] = flagged.run_requests
    assert request.partition_key == exact_nl.partition_key
    assert ":token_expired@" in request.run_key
    assert _tick(world, after=flagged).run_requests == []

    world.control.set_health(exact_nl.integration_id, "token_expired", "Exact Online: still")
    again = _tick(world, after=flagged)
    assert _requested(again) == [exact_nl.partition_key]

    world.control.set_health(exact_nl.integration_id, "healthy")  # a new consent mended it
    mended = _tick(world, after=again)
    assert _requested(mended) == [exact_nl.partition_key]
    assert ":healthy@" in mended.run_requests[0].run_key
    assert _tick(world, after=mended).run_requests == []


def test_a_deleted_integrations_partition_is_removed(world):
    deleted = world.control.integrations()[-1]
    world.control.delete_integration(deleted.integration_id)

    result = _tick(world)

    assert deleted.partition_key not in world.instance.get_dynamic_partitions(
        INTEGRATION_PARTITIONS.name)
    assert deleted.partition_key not in _requested(result)


def test_a_tick_over_ten_thousand_integrations_is_a_few_statements_and_seconds(
        control, instance):
    count, per_integration = 10_000, 2
    with control.session() as s:  # written straight in: no OAuth, no provider
        s.execute(insert(Organisation), [{"id": o, "slug": f"firm-{o}", "name": f"Firm {o}"}
                                         for o in range(1, count + 1)])
        s.execute(insert(Integration), [
            {"id": o, "organisation_id": o, "provider": "exact_online", "name": f"Exact {o}",
             "auth_kind": AuthKind.OAUTH2, "status": IntegrationStatus.CONNECTED,
             "health": Health.HEALTHY} for o in range(1, count + 1)])
        entities = range(1, count * per_integration + 1)
        s.execute(insert(Entity), [{"id": n, "organisation_id": (n - 1) // per_integration + 1,
                                    "name": f"Dossier {n}"} for n in entities])
        s.execute(insert(EntityConnection), [
            {"id": n, "integration_id": (n - 1) // per_integration + 1, "entity_id": n,
             "provider": "exact_online", "kind": ConnectionKind.ACCOUNTING,
             "external_id": str(n), "external_name": f"Dossier {n}", "partition_key": f"d-{n}"}
            for n in entities])
    statements = []
    listener = lambda *_args: statements.append(1)  # noqa: E731
    event.listen(engine_for(control.db_url), "before_cursor_execute", listener)
    try:
        started = time.monotonic()
        result = _tick(SimpleNamespace(instance=instance))
        elapsed = time.monotonic() - started
    finally:
        event.remove(engine_for(control.db_url), "before_cursor_execute", listener)

    assert len(instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name)) == count
    # A batch, never checked first (by id here: none was), and no query per integration (the
    # connections, counted per integration, are loaded 500 integrations a statement).
    assert _requested(result) == [f"firm-{o}-exact_online-{o}" for o in range(1, 101)]
    assert len(statements) <= 2 + count // 500
    assert elapsed < 30, f"a tick took {elapsed:.1f} s; Dagster gives a sensor 60 s"
