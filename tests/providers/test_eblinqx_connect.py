"""eBlinqx Fiscaal in the sandbox organisation: the API key connected as a user pastes it, the
company the accountant linked before joining its entity by monitrClientId, the others by name,
and linked then; an entity's import run through Dagster as the scheduler runs it."""

from __future__ import annotations

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import
from monitr_pipeline.warehouse import query

# The platforms whose entities the companies sit beside (Smit Vastgoed at Twinfield, Studio
# Visser at Moneybird, Installatiebedrijf Smit as CSV uploads), then eBlinqx.
WORLD_PROVIDERS = ("twinfield", "moneybird", "csv_import", "eblinqx")
NAMES = ["Installatiebedrijf Smit BV", "Smit Vastgoed B.V.", "Studio Visser Ontwerp"]


def _emulator(world):
    return world.sandbox.emulators[("eblinqx", "default")]


def test_companies_join_their_entities_by_link_else_by_name_and_are_linked(world):
    connections = {c.external_name: c for c in world.connections("eblinqx")}
    assert sorted(connections) == NAMES  # the company of another Monitr client stays out
    entities = world.control.entities(world.organisation_id)
    assert {name: entities[c.entity_id] for name, c in connections.items()} == {
        name: name for name in NAMES}
    beside = {c.entity_id: c.provider for provider in ("twinfield", "moneybird", "csv_import")
              for c in world.connections(provider)}
    assert {name: beside.get(c.entity_id) for name, c in connections.items()} == {
        "Installatiebedrijf Smit BV": "csv_import", "Smit Vastgoed B.V.": "twinfield",
        "Studio Visser Ontwerp": "moneybird"}
    emulator = _emulator(world)
    for name, connection in connections.items():
        assert emulator.company_named(name).monitr_client_id == \
            world.control.entity_reference(connection.entity_id)
    # Smit Vastgoed was linked before: one POST linked the other two.
    posts = [entry for entry in emulator.request_log if entry[0] == "POST"]
    assert len(posts) == 1


def test_an_entity_import_runs_through_dagster(world):
    connection = next(c for c in world.connections("eblinqx")
                      if c.external_name == "Smit Vastgoed B.V.")
    outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
    assert outcome.success, outcome.error
    expected = {(a["id"], a["fiscalYear"], a["status"])
                for a in _emulator(world).company_named(connection.external_name)
                .annual_accounts()}
    loaded = set(query(world.settings, f"""
        select id, fiscal_year, status from raw_eblinqx.annual_accounts
        where _monitr_entity_id = {connection.entity_id}"""))
    assert loaded == expected


def test_a_deleted_key_asks_for_a_new_one(world):
    emulator = _emulator(world)
    connection = next(c for c in world.connections("eblinqx")
                      if c.external_name == "Studio Visser Ontwerp")
    emulator.revoke_api_key()
    outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
    assert not outcome.success
    info = world.control.integration_info(connection.integration_id)
    assert info.health == "credentials_rejected", info
    assert "Ongeldige of ontbrekende API key" in (info.health_reason or "")
