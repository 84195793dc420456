"""The integration health sensor: on its own cadence it asks every provider, records each
integration's health, and observes it per integration in Dagster with reason and reconnect steps,
when it changes; integrations only a person can mend are not asked again."""

from dagster import AssetKey, build_sensor_context

from monitr_pipeline.definitions import defs
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.resources import MonitrResource

HEALTH = AssetKey(["integrations", "health"])


def _tick(instance, after=None):
    """One evaluation, continuing from the tick `after` (as the daemon passes the cursor on)."""
    sensor = defs.resolve_sensor_def("integration_health")
    with build_sensor_context(instance=instance, definitions=defs,
                              cursor=after.cursor if after else None,
                              resources={"monitr": MonitrResource()}) as context:
        result = sensor.evaluate_tick(context)
    for event in result.asset_events:  # what the daemon does with them
        instance.report_runless_asset_event(event)
    return result


def _observed(instance, partition):
    records = instance.fetch_observations(HEALTH, limit=100).records
    return [r.asset_observation.metadata for r in records if r.partition_key == partition]


def test_the_sensor_flags_a_revoked_consent_and_leaves_the_others_healthy(seeded, control,
                                                                          sandbox, instance):
    exact_nl = sandbox.emulators[("exact_online", "nl")]
    exact_nl.revoke_all_tokens()
    exact_nl.expire_access_tokens()
    _tick(instance)

    integrations = {i.integration_id: i for i in control.integrations()}
    assert sorted(instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name)) == sorted(
        i.partition_key for i in integrations.values())
    revoked = next(i for i in integrations.values()
                   if i.provider == "exact_online" and i.environment == "nl")
    assert revoked.health == "token_expired" and revoked.status == "error"
    assert {i.health for i in integrations.values() if i is not revoked} == {"healthy"}

    [metadata] = _observed(instance, revoked.partition_key)
    assert metadata["health"].value == "token_expired"
    assert f"monitr integrations reconnect {revoked.integration_id}" in metadata[
        "reconnect_steps"].value
    other = next(i for i in integrations.values() if i.provider == "moneybird")
    assert _observed(instance, other.partition_key)[0]["health"].value == "healthy"


def test_a_vanished_administration_is_not_found_until_it_returns(seeded, control, sandbox,
                                                                  instance):
    exact_be = sandbox.emulators[("exact_online", "be")]
    gone = next(c for c in control.connections("exact_online")
                if c.environment == "be")
    exact_be.remove_administration(int(gone.external_id))
    first = _tick(instance)
    integration = control.integration_info(gone.integration_id)
    assert integration.health == "administration_not_found"
    assert gone.external_name in integration.health_reason
    [missing] = [c for c in control.connections() if c.not_found_since]
    assert missing.connection_id == gone.connection_id

    exact_be.restore_administration(int(gone.external_id))
    second = _tick(instance, after=first)
    assert control.integration_info(gone.integration_id).health == "healthy"
    assert not [c for c in control.connections() if c.not_found_since]
    # Only the integration whose health changed is observed again.
    assert [e.partition for e in second.asset_events] == [
        control.integration_info(gone.integration_id).partition_key]


def test_unchanged_health_is_not_observed_again_and_a_revoked_consent_is_not_asked_again(
        seeded, control, sandbox, instance):
    exact_nl = sandbox.emulators[("exact_online", "nl")]
    first = _tick(instance)
    assert len(first.asset_events) == len(control.integrations())
    assert _tick(instance, after=first).asset_events == []

    exact_nl.revoke_all_tokens()
    exact_nl.expire_access_tokens()
    flagged = _tick(instance, after=first)
    revoked = next(i for i in control.integrations()
                   if i.provider == "exact_online" and i.environment == "nl")
    assert [e.partition for e in flagged.asset_events] == [revoked.partition_key]

    # Only a new consent mends it: later ticks leave Exact alone (its error budget is small).
    calls = len(exact_nl.request_log)
    assert _tick(instance, after=flagged).asset_events == []
    assert len(exact_nl.request_log) == calls


def test_a_tick_asks_no_longer_than_its_budget_and_the_next_tick_goes_on(
        seeded, control, instance, monkeypatch):
    import monitr_pipeline.sensors.integration_health as health_sensor

    for integration in control.integrations():  # as after a tick: all healthy, checked
        control.set_health(integration.integration_id, "healthy")
    oldest = control.integrations()[-1]
    control.set_health(oldest.integration_id, "healthy")  # now the most recently checked
    monkeypatch.setattr(health_sensor, "HEALTH_CHECK_BUDGET_SECONDS", 0.0)
    checked_before = {i.integration_id: i.health_checked_at for i in control.integrations()}

    first = _tick(instance)
    asked = [i.integration_id for i in control.integrations()
             if i.health_checked_at != checked_before[i.integration_id]]
    # One provider is asked even with no budget left (progress), the one checked longest ago.
    assert asked == [control.integrations()[0].integration_id]
    assert [e.partition for e in first.asset_events] == [control.integrations()[0].partition_key]

    second = _tick(instance, after=first)
    assert [e.partition for e in second.asset_events] == [control.integrations()[1].partition_key]
    # The cursor keeps what was reported before, so nothing is reported twice.
    assert control.integrations()[0].partition_key in second.cursor
