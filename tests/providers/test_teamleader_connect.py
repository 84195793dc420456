"""Teamleader Focus in the sandbox organisation: the account connected through its consent page,
each department joined to the existing entity of its name (beside that entity's accounting
platform: Exact Online and Twinfield), and a department's import run through Dagster as the
scheduler runs it."""

from __future__ import annotations

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import
from monitr_pipeline.warehouse import query

# The accounting platforms whose entities the departments sit beside, then Teamleader.
WORLD_PROVIDERS = ("exact_online", "twinfield", "teamleader")


def test_departments_join_the_entities_of_their_names(world):
    teamleader = {c.external_name: c for c in world.connections("teamleader")}
    assert sorted(teamleader) == ["Brasserie Janssens BV", "Frituur Peeters BV"]
    accounting = {c.entity_id: c.provider for provider in ("exact_online", "twinfield")
                  for c in world.connections(provider)}
    assert {name: accounting.get(c.entity_id) for name, c in teamleader.items()} == {
        "Brasserie Janssens BV": "exact_online", "Frituur Peeters BV": "twinfield"}
    assert all(c.kind == "crm" for c in teamleader.values())


def test_a_department_import_runs_through_dagster(world):
    connection = next(c for c in world.connections("teamleader")
                      if c.external_name == "Frituur Peeters BV")
    outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
    assert outcome.success, outcome.error
    book = world.sandbox.emulators[("teamleader", "default")].book
    loaded = {row[0] for row in query(world.settings, f"""
        select id from raw_teamleader.deals
        where _monitr_entity_id = {connection.entity_id}""")}
    assert loaded == {d.id for d in book.deals.values()
                      if d.department == connection.external_id}
