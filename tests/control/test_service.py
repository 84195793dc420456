"""Control plane rules: entity reuse on reconnect, deletion keeps the entity, import run lifecycle."""

from sqlalchemy import text

from monitr_pipeline.control.db import engine_for


def _integration(control, provider="exact_online"):
    org = control.ensure_organisation("acme", "Acme")
    return org, control.create_integration(org, provider, "Exact NL", "oauth2",
                                           credentials={"token": {"access_token": "t0p-secret"}},
                                           environment="nl")


def test_credentials_are_stored_encrypted(control):
    _, integration_id = _integration(control)
    with engine_for(control.db_url).connect() as connection:
        blob = connection.execute(text("select credentials_encrypted from integrations")).scalar()
    assert b"t0p-secret" not in blob
    assert control.load_credentials(integration_id)["token"]["access_token"] == "t0p-secret"


def test_reconnecting_an_administration_reuses_entity_and_partition(control):
    _, integration_id = _integration(control)
    first = control.connect_entity(integration_id, "131001", "Bakkerij")
    assert first.partition_key == "acme-bakkerij-131001"
    again = control.connect_entity(integration_id, "131001", "Bakkerij")
    assert again.connection_id == first.connection_id

    control.delete_connection(first.connection_id)
    assert control.connections("exact_online") == []
    back = control.connect_entity(integration_id, "131001", "Bakkerij")
    assert back.connection_id != first.connection_id
    assert (back.entity_id, back.partition_key) == (first.entity_id, first.partition_key)
    assert [c.connection_id for c in control.connections("exact_online")] == [back.connection_id]


def test_partition_keys_name_the_entity_and_stay_unique(control):
    _, integration_id = _integration(control)
    # The name is cut at a word boundary after 32 characters.
    long_name = control.connect_entity(integration_id, "131002",
                                       "Café De Gouden Korst & Zonen Holding B.V. (Utrecht)")
    assert long_name.partition_key == "acme-cafe-de-gouden-korst-zonen-131002"
    # Same name, another administration: the external id tells them apart.
    twin = control.connect_entity(integration_id, "131003",
                                  "Café De Gouden Korst & Zonen Holding B.V. (Utrecht)")
    assert twin.partition_key == "acme-cafe-de-gouden-korst-zonen-131003"
    unnamed = control.connect_entity(integration_id, "131004", "???")
    assert unnamed.partition_key == "acme-131004"
    # An id that is the name already (a file import's dossier) is not repeated.
    named_id = control.connect_entity(integration_id, "Smit BV", "Smit BV")
    assert named_id.partition_key == "acme-smit-bv"


def test_a_key_spelled_twice_gets_a_suffix(control):
    org = control.ensure_organisation("acme", "Acme")
    other_org = control.ensure_organisation("acme-nl", "Acme NL")
    first = control.create_integration(org, "exact_online", "Exact", "oauth2", environment="nl")
    second = control.create_integration(other_org, "exact_online", "Exact", "oauth2",
                                        environment="nl")
    a = control.connect_entity(first, "1", "NL Shop")      # acme + nl-shop + 1
    b = control.connect_entity(second, "1", "Shop")        # acme-nl + shop + 1
    assert (a.partition_key, b.partition_key) == ("acme-nl-shop-1", "acme-nl-shop-1-2")


def test_a_renamed_administration_keeps_its_key_on_reconnect(control):
    _, integration_id = _integration(control)
    first = control.connect_entity(integration_id, "131001", "Bakkerij")
    control.delete_connection(first.connection_id)
    back = control.connect_entity(integration_id, "131001", "Bakkerij Nieuw B.V.")
    assert back.partition_key == first.partition_key == "acme-bakkerij-131001"


def test_import_run_lifecycle_and_status(control):
    _, integration_id = _integration(control)
    connection = control.connect_entity(integration_id, "131001", "Bakkerij")
    assert control.import_statuses()[0].status == "Waiting"

    run_id = control.request_import(connection.connection_id, "nightly:1", "schedule")
    assert control.request_import(connection.connection_id, "nightly:1", "schedule") == run_id
    assert control.import_statuses()[0].status == "Waiting"

    control.start_import(connection.connection_id, "nightly:1", "schedule", "dagster-run-1")
    assert control.import_statuses()[0].status == "In Progress"
    control.fail_import(run_id, "boom")
    status = control.import_statuses()[0]
    assert (status.status, status.error) == ("Failed", "boom")

    second = control.start_import(connection.connection_id, "manual:2", "manual", "dagster-run-2")
    control.finish_import(second, 42)
    status = control.import_statuses()[0]
    assert (status.status, status.rows_loaded, status.error) == ("Succeeded", 42, None)


def test_run_that_died_is_marked_failed(control):
    _, integration_id = _integration(control)
    connection = control.connect_entity(integration_id, "131001", "Bakkerij")
    control.start_import(connection.connection_id, "k", "manual", "dagster-run-9")
    assert control.fail_unfinished_imports("dagster-run-9", "worker crashed") == 1
    assert control.import_statuses()[0].status == "Failed"
    assert control.fail_unfinished_imports("dagster-run-9", "again") == 0


def test_what_the_provider_lists_marks_connections_found_renamed_or_missing(control):
    _, integration = _integration(control)
    bakery = control.connect_entity(integration, "131001", "Bakkerij")
    vastgoed = control.connect_entity(integration, "131002", "Vastgoed")

    missing = control.record_visible_administrations(integration, {"131001": "Bakkerij De Vries"})
    assert [c.connection_id for c in missing] == [vastgoed.connection_id]
    by_id = {c.connection_id: c for c in control.connections()}
    # Renamed under the same id: found, with its new name; the entity keeps the name it has.
    assert by_id[bakery.connection_id].external_name == "Bakkerij De Vries"
    assert by_id[bakery.connection_id].not_found_since is None
    assert by_id[bakery.connection_id].entity_name == "Bakkerij"
    assert by_id[vastgoed.connection_id].not_found_since is not None

    assert control.record_visible_administrations(
        integration, {"131001": "Bakkerij De Vries", "131002": "Vastgoed"}) == []
    assert all(c.not_found_since is None for c in control.connections())


def test_import_status_marker_changes_with_what_the_board_shows(control):
    _, integration_id = _integration(control)
    connection = control.connect_entity(integration_id, "131001", "Bakkerij")
    seen = [control.import_status_marker()]

    def changed() -> bool:
        marker = control.import_status_marker()
        seen.append(marker)
        return marker != seen[-2]

    run_id = control.request_import(connection.connection_id, "nightly:1", "schedule")
    assert changed()
    control.request_import(connection.connection_id, "nightly:1", "schedule")  # asked again
    # A health check that finds nothing new changes nothing the board shows.
    control.set_health(integration_id, "healthy")
    assert not changed()
    control.start_import(connection.connection_id, "nightly:1", "schedule", "dagster-run-1")
    assert changed()
    control.finish_import(run_id, 3)
    assert changed()
    control.set_health(integration_id, "token_expired", "refresh token expired")
    assert changed()
    control.delete_connection(connection.connection_id)
    assert changed()
    status = control.import_statuses(active_only=False)[0]
    assert (status.entity_id, status.integration_health) == (connection.entity_id, "token_expired")
