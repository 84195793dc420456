"""Stripe in the sandbox organisation: the platform key connected as a user pastes it, each
connected account joined to the existing entity of its name (beside that entity's accounting
platform), and an entity's import run through Dagster as the scheduler runs it."""

from __future__ import annotations

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import
from monitr_pipeline.warehouse import query

# The accounting platforms whose entities the Stripe accounts sit beside, then Stripe.
WORLD_PROVIDERS = ("moneybird", "quickbooks", "xero", "stripe")


def test_connected_accounts_join_the_entities_of_their_names(world):
    stripe = {c.external_name: c for c in world.connections("stripe")}
    assert sorted(stripe) == ["Drukkerij Claes BV", "Koffiebranderij Van Leeuwen B.V.",
                              "Studio Visser Ontwerp"]
    accounting = {c.entity_id: c.provider for provider in ("moneybird", "quickbooks", "xero")
                  for c in world.connections(provider)}
    assert {name: accounting.get(c.entity_id) for name, c in stripe.items()} == {
        "Drukkerij Claes BV": "xero", "Koffiebranderij Van Leeuwen B.V.": "quickbooks",
        "Studio Visser Ontwerp": "moneybird"}
    assert all(c.entity_name.casefold() == name.casefold() for name, c in stripe.items())


def test_an_entity_import_runs_through_dagster(world):
    connection = next(c for c in world.connections("stripe")
                      if c.external_name == "Koffiebranderij Van Leeuwen B.V.")
    outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
    assert outcome.success, outcome.error
    emulator = world.sandbox.emulators[("stripe", "default")]
    expected = {s["id"] for s in emulator.world(connection.external_id).live("subscription")}
    loaded = {row[0] for row in query(world.settings, f"""
        select id from raw_stripe.subscriptions
        where _monitr_entity_id = {connection.entity_id}""")}
    assert loaded == expected


def test_a_rolled_key_asks_for_a_new_one(world):
    emulator = world.sandbox.emulators[("stripe", "default")]
    connection = next(c for c in world.connections("stripe")
                      if c.external_name == "Studio Visser Ontwerp")
    emulator.roll_api_key()
    outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
    assert not outcome.success
    info = world.control.integration_info(connection.integration_id)
    assert info.health == "credentials_rejected", info
    assert "Expired API Key" in (info.health_reason or "")
    assert emulator.api_key not in (info.health_reason or "")
