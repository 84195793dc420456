"""An administration that disappears at the provider (deleted, or the login's access withdrawn):
each OAuth provider's own error is read as "administration not found", on an import and on a
health check, for that connection only; when it comes back, the integration is healthy again.
Also the other unhealthy states a check finds: an unreachable provider and a rejected API key."""

import pytest

from monitr_pipeline.cli import main
from monitr_pipeline.connections.health import NEEDS_ACTION, check_integration, reconnect_steps
from monitr_pipeline.control.models import Health
from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import

# The sandbox world this module needs.
WORLD_PROVIDERS = ("eboekhouden", "exact_online", "moneybird", "quickbooks", "xero")

# (provider, sandbox environment): Exact answers 403 NoDivisionAccess, Moneybird 404
# administration_id not_found, Xero 403 AuthenticationUnsuccessful, QuickBooks 403 code 3100.
LOGINS = [("exact_online", "be"), ("moneybird", "default"), ("xero", "default"), ("quickbooks", "sandbox")]


# One sandbox world for the module: each test takes one thing away and gives it back (its
# teardown gives it back too when the test fails half-way, so the next test starts healthy).
@pytest.fixture
def control(world):
    return world.control


@pytest.fixture
def sandbox(world):
    return world.sandbox


@pytest.fixture
def instance(world):
    return world.instance


@pytest.fixture
def vanish(control, sandbox):
    taken = []

    def vanish(provider, environment):
        connection = next(c for c in control.connections(provider) if c.environment == environment)
        emulator = sandbox.emulators[(provider, environment)]
        emulator.remove_administration(connection.external_id)
        taken.append((connection, emulator))
        return connection, emulator

    yield vanish
    for connection, emulator in taken:
        emulator.restore_administration(connection.external_id)
        check_integration(control, connection.integration_id)


def _status(control, connection):
    return next(s for s in control.import_statuses() if s.partition_key == connection.partition_key)


@pytest.mark.parametrize(("provider", "environment"), LOGINS)
def test_an_import_reads_the_providers_answer_as_administration_not_found(
        provider, environment, vanish, control, sandbox, instance):
    gone, emulator = vanish(provider, environment)
    healthy_before = {i.integration_id for i in control.integrations() if i.health == "healthy"}

    assert not run_import(defs, instance, control, gone, quiet=True).success
    integration = control.integration_info(gone.integration_id)
    assert integration.health == "administration_not_found"
    assert integration.status == "error"
    [missing] = [c for c in control.connections() if c.not_found_since]
    assert missing.connection_id == gone.connection_id
    assert _status(control, gone).status == "Failed"
    # Every other integration is as it was.
    assert {i.integration_id for i in control.integrations()
            if i.health == "healthy"} == healthy_before - {gone.integration_id}

    # Until it is back, the next import fails fast with how to reselect it, asking nothing.
    emulator.request_log.clear()
    assert not run_import(defs, instance, control, gone, quiet=True).success
    assert "monitr integrations discover" in _status(control, gone).error
    assert emulator.request_log == []

    emulator.restore_administration(gone.external_id)
    assert check_integration(control, gone.integration_id).health == "healthy"
    assert run_import(defs, instance, control, gone, quiet=True).success
    assert _status(control, gone).status == "Succeeded"


@pytest.mark.parametrize(("provider", "environment"), LOGINS)
def test_a_health_check_names_the_vanished_administration_and_the_way_back(
        provider, environment, vanish, control, sandbox):
    gone, emulator = vanish(provider, environment)

    integration = check_integration(control, gone.integration_id)
    assert integration.health == "administration_not_found"
    [missing] = [c for c in control.connections() if c.not_found_since]
    assert missing.connection_id == gone.connection_id
    siblings = [c for c in control.connections(provider)
                if c.integration_id == gone.integration_id and c.connection_id != gone.connection_id]
    assert all(c.not_found_since is None for c in siblings)

    emulator.restore_administration(gone.external_id)
    assert check_integration(control, gone.integration_id).health == "healthy"
    assert not [c for c in control.connections() if c.not_found_since]


@pytest.fixture
def moneybird(control, sandbox):
    """Moneybird's integration; its sandbox address is given back afterwards."""
    integration = next(i for i in control.integrations() if i.provider == "moneybird")
    yield integration
    control.set_base_url(integration.integration_id, sandbox.urls[("moneybird", "default")])
    check_integration(control, integration.integration_id)


def test_an_unreachable_provider_is_flagged_without_stopping_imports_and_recovers(
        moneybird, control, sandbox):
    integration = moneybird
    control.set_base_url(integration.integration_id, "http://127.0.0.1:9")  # nothing listens

    checked = check_integration(control, integration.integration_id)
    assert (checked.health, checked.status) == ("provider_unreachable", "error")
    assert "could not be reached" in checked.health_reason
    assert "status page" in reconnect_steps(checked)
    # A passing outage needs no one: it is not among the states that make imports fail fast.
    assert Health.PROVIDER_UNREACHABLE not in NEEDS_ACTION

    control.set_base_url(integration.integration_id, sandbox.urls[("moneybird", "default")])
    assert check_integration(control, integration.integration_id).health == "healthy"


def test_a_rejected_api_key_is_flagged_by_the_check_and_a_new_key_heals_it(
        control, sandbox, monkeypatch, capsys):
    emulator = sandbox.emulators[("eboekhouden", "default")]
    integration = next(i for i in control.integrations() if i.provider == "eboekhouden")
    emulator.revoke_api_key()  # the user deleted the token in e-Boekhouden

    checked = check_integration(control, integration.integration_id)
    assert checked.health == "credentials_rejected"
    assert "Invalid access token" in checked.health_reason
    assert (f"Create a new API key in {checked.name}, then run `monitr integrations reconnect "
            f"{checked.integration_id}`") in reconnect_steps(checked)

    monkeypatch.setenv("MONITR_API_TOKEN", emulator.issue_api_key())
    assert main(["integrations", "reconnect", str(integration.integration_id)]) == 0
    assert control.integration_info(integration.integration_id).health == "healthy"
    assert [i.integration_id for i in control.integrations() if i.provider == "eboekhouden"] == [
        integration.integration_id]
