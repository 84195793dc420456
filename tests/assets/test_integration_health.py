"""integrations/health: a check_integration_health run per integration materialises its partition
when the integration is healthy and fails it (red in the UI) when it needs reconnecting, with the
health, the reason and the reconnect steps; integrations only a person can mend are not asked."""

import pytest
from dagster import AssetKey, AssetRecordsFilter, DagsterEventType
from dagster._core.storage.partition_status_cache import AssetPartitionStatus

from monitr_pipeline.job_runs import execute_job_run
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.tags import HEALTH_CHECK_JOB, TRIGGER_TAG

WORLD_PROVIDERS = ("exact_online", "moneybird")  # the sandbox world this module needs

HEALTH = AssetKey(["integrations", "health"])


@pytest.fixture(scope="module")
def health_world(world):
    world.instance.add_dynamic_partitions(
        INTEGRATION_PARTITIONS.name, [i.partition_key for i in world.control.integrations()])
    return world


def _check(world, integration):
    return execute_job_run(world.instance, HEALTH_CHECK_JOB, tags={TRIGGER_TAG: "test"},
                           partition_key=integration.partition_key)


def _status(world, integration):
    return world.instance.get_status_by_partition(
        HEALTH, [integration.partition_key], INTEGRATION_PARTITIONS)[integration.partition_key]


def _latest_metadata(world, integration):
    [record] = world.instance.fetch_materializations(
        AssetRecordsFilter(HEALTH, asset_partitions=[integration.partition_key]), limit=1).records
    return record.asset_materialization.metadata


def _failure(result):
    [event] = [e for e in result.all_events if e.event_type is DagsterEventType.STEP_FAILURE]
    return event.step_failure_data.user_failure_data


def _integration(world, provider, environment=None):
    return next(i for i in world.control.integrations() if i.provider == provider
                and (environment is None or i.environment == environment))


def test_a_healthy_integrations_partition_materialises_with_its_health(health_world):
    moneybird = _integration(health_world, "moneybird")
    result = _check(health_world, moneybird)

    assert result.success
    assert _status(health_world, moneybird) is AssetPartitionStatus.MATERIALIZED
    metadata = _latest_metadata(health_world, moneybird)
    assert metadata["health"].value == "healthy"
    assert metadata["entities"].value == moneybird.active_connections > 0
    checked = health_world.control.integration_info(moneybird.integration_id).health_checked_at
    assert metadata["checked_at"].value == checked.isoformat(timespec="seconds")
    run = health_world.instance.get_run_by_id(result.run_id)
    assert (run.job_name, run.tags["dagster/partition"]) == (HEALTH_CHECK_JOB,
                                                            moneybird.partition_key)


def test_a_vanished_administration_fails_red_and_turns_green_when_it_returns(health_world):
    exact_be = health_world.sandbox.emulators[("exact_online", "be")]
    integration = _integration(health_world, "exact_online", "be")
    gone = next(c for c in health_world.connections("exact_online")
                if c.integration_id == integration.integration_id)
    exact_be.remove_administration(int(gone.external_id))
    try:
        failed = _check(health_world, integration)
    finally:
        exact_be.restore_administration(int(gone.external_id))

    assert not failed.success
    assert _status(health_world, integration) is AssetPartitionStatus.FAILED
    failure = _failure(failed)
    assert failure.metadata["health"].value == "administration_not_found"
    assert gone.external_name in failure.metadata["reason"].value
    assert (f"monitr entities disconnect {gone.connection_id}"
            in failure.metadata["reconnect_steps"].value)

    assert _check(health_world, integration).success
    assert _status(health_world, integration) is AssetPartitionStatus.MATERIALIZED


def test_a_revoked_consent_fails_red_with_the_reconnect_steps_and_is_not_asked_again(
        health_world):
    exact_nl = health_world.sandbox.emulators[("exact_online", "nl")]
    integration = _integration(health_world, "exact_online", "nl")
    assert _check(health_world, integration).success
    exact_nl.revoke_all_tokens()
    exact_nl.expire_access_tokens()

    failed = _check(health_world, integration)

    assert not failed.success
    assert _status(health_world, integration) is AssetPartitionStatus.FAILED
    recorded = health_world.control.integration_info(integration.integration_id)
    assert (recorded.health, recorded.status) == ("token_expired", "error")
    failure = _failure(failed)
    steps = f"monitr integrations reconnect {integration.integration_id}"
    assert failure.metadata["health"].value == "token_expired"
    assert steps in failure.metadata["reconnect_steps"].value
    for said in (integration.name, "token_expired", recorded.health_reason, steps):
        assert said in failure.description

    # Only a new consent mends it: a later check shows it red again without asking Exact (its
    # error budget is small).
    asked = len(exact_nl.request_log)
    again = _check(health_world, integration)
    assert not again.success and len(exact_nl.request_log) == asked
    assert _failure(again).metadata["reason"].value == recorded.health_reason
    assert _status(health_world, integration) is AssetPartitionStatus.FAILED


def test_an_unfinished_consent_fails_red_without_asking_the_provider(health_world):
    control = health_world.control
    organisation_id = control.ensure_organisation("pending", "Pending Consent BV")
    integration = control.integration_info(
        control.create_integration(organisation_id, "moneybird", "Moneybird", "oauth2"))
    health_world.instance.add_dynamic_partitions(INTEGRATION_PARTITIONS.name,
                                                 [integration.partition_key])
    moneybird = health_world.sandbox.emulators[("moneybird", _integration(
        health_world, "moneybird").environment)]
    asked = len(moneybird.request_log)

    failed = _check(health_world, integration)

    assert not failed.success and len(moneybird.request_log) == asked
    assert _status(health_world, integration) is AssetPartitionStatus.FAILED
    failure = _failure(failed)
    assert failure.metadata["status"].value == "pending_auth"
    assert "never finished" in failure.metadata["reason"].value
    assert (f"monitr integrations reconnect {integration.integration_id}"
            in failure.metadata["reconnect_steps"].value)
