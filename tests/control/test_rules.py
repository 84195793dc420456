"""The connection rules: a file upload is never an organisation's first integration; an entity has
exactly one primary accounting integration, with CRM, revenue and payroll ones beside it."""

import pytest

from monitr_pipeline.control.rules import ConnectionRuleError


def _oauth(control, org, provider="exact_online", **kwargs):
    return control.create_integration(org, provider, provider, "oauth2",
                                      credentials={"token": {"access_token": "x"}}, **kwargs)


def test_csv_is_refused_first_and_allowed_after_a_platform(control):
    org = control.ensure_organisation("acme", "Acme")
    with pytest.raises(ConnectionRuleError, match="first integration"):
        control.create_integration(org, "csv_import", "CSV", "file_upload",
                                   credentials={"upload_method": "folder"})
    # A consent that was started but never finished does not count as onboarded.
    control.create_integration(org, "moneybird", "Moneybird", "oauth2")
    with pytest.raises(ConnectionRuleError):
        control.create_integration(org, "csv_import", "CSV", "file_upload",
                                   credentials={"upload_method": "folder"})
    _oauth(control, org)
    control.create_integration(org, "csv_import", "CSV", "file_upload",
                               credentials={"upload_method": "folder"})
    # The rule is per organisation.
    other = control.ensure_organisation("other", "Other")
    with pytest.raises(ConnectionRuleError):
        control.create_integration(other, "csv_import", "CSV", "file_upload",
                                   credentials={"upload_method": "folder"})


def test_one_primary_accounting_integration_per_entity(control):
    org = control.ensure_organisation("acme", "Acme")
    exact, moneybird = _oauth(control, org), _oauth(control, org, "moneybird")
    bakery = control.connect_entity(exact, "131001", "Bakkerij")

    # Switching the entity to Moneybird is refused while Exact is still its accounting source.
    with pytest.raises(ConnectionRuleError, match=f"entities disconnect {bakery.connection_id}"):
        control.connect_entity(moneybird, "mb-1", "Bakkerij (Moneybird)",
                               entity_id=bakery.entity_id)
    assert [c.provider for c in control.connections() if c.entity_id == bakery.entity_id] == [
        "exact_online"]

    # CRM and payroll integrations sit beside it, never on an entity of their own.
    hubspot = _oauth(control, org, "hubspot")
    with pytest.raises(ConnectionRuleError, match="--entity"):
        control.connect_entity(hubspot, "portal-9", "Bakkerij CRM", kind="crm")
    assert control.entities(org) == {bakery.entity_id: bakery.entity_name}
    crm = control.connect_entity(hubspot, "portal-9", "Bakkerij CRM", kind="crm",
                                 entity_id=bakery.entity_id)
    assert crm.entity_id == bakery.entity_id and crm.kind == "crm"

    # After disconnecting Exact the switch is allowed, into the same entity.
    control.delete_connection(bakery.connection_id)
    switched = control.connect_entity(moneybird, "mb-1", "Bakkerij (Moneybird)",
                                      entity_id=bakery.entity_id)
    assert switched.entity_id == bakery.entity_id
    kinds = sorted((c.provider, c.kind) for c in control.connections()
                   if c.entity_id == bakery.entity_id)
    assert kinds == [("hubspot", "crm"), ("moneybird", "accounting")]


def test_one_integration_serves_several_entities_and_an_administration_one_entity(control):
    org = control.ensure_organisation("acme", "Acme")
    exact = _oauth(control, org)
    first = control.connect_entity(exact, "131001", "Bakkerij")
    second = control.connect_entity(exact, "131002", "Installatie")
    assert first.entity_id != second.entity_id
    assert {first.integration_id, second.integration_id} == {exact}
    with pytest.raises(ConnectionRuleError, match="already imported into entity"):
        control.connect_entity(exact, "131001", "Bakkerij", entity_id=second.entity_id)


def test_deleting_an_integration_stops_its_connections_and_forgets_its_secrets(control):
    org = control.ensure_organisation("acme", "Acme")
    exact = _oauth(control, org)
    control.connect_entity(exact, "131001", "Bakkerij")
    control.connect_entity(exact, "131002", "Installatie")
    stopped = control.delete_integration(exact)
    assert len(stopped) == 2 and control.connections() == []
    info = control.integration_info(exact)
    assert info.status == "disconnected" and info.is_deleted and info.active_connections == 0
    assert control.integration(exact).credentials_encrypted is None
    with pytest.raises(ConnectionRuleError, match="was deleted"):
        control.connect_entity(exact, "131003", "Nieuw")


def test_an_administration_not_found_may_be_replaced_by_another_of_the_same_login(control):
    org = control.ensure_organisation("acme", "Acme")
    exact, moneybird = _oauth(control, org), _oauth(control, org, "moneybird")
    bakery = control.connect_entity(exact, "131001", "Bakkerij")
    # While it is found, another division of the same login is refused like any switch.
    with pytest.raises(ConnectionRuleError, match="one primary"):
        control.connect_entity(exact, "131009", "Bakkerij (nieuw)", entity_id=bakery.entity_id)

    control.record_visible_administrations(exact, {})  # 131001 renamed or moved away
    # Another integration still may not take its place: that is a switch, not a reselect.
    with pytest.raises(ConnectionRuleError, match="one primary"):
        control.connect_entity(moneybird, "mb-1", "Bakkerij", entity_id=bakery.entity_id)
    reselected = control.connect_entity(exact, "131009", "Bakkerij (nieuw)",
                                        entity_id=bakery.entity_id)

    assert reselected.entity_id == bakery.entity_id
    assert reselected.partition_key != bakery.partition_key
    [active] = [c for c in control.connections() if c.entity_id == bakery.entity_id]
    assert active.connection_id == reselected.connection_id
    ended = next(c for c in control.connections(active_only=False)
                 if c.connection_id == bakery.connection_id)
    assert not ended.is_active and ended.deleted_at is not None
