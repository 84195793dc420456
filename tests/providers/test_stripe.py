"""Stripe end to end against its emulator over real HTTP: the platform key connected as a user
pastes it, its connected accounts discovered, a full import, incremental imports from events (a
change and a deletion, no duplicates), the full re-read once events no longer reach the cursor,
and what goes wrong: a rolled key, a 429, a malformed page, a bad value."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pytest

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion import http
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.stripe import ADAPTER
from monitr_pipeline.providers.stripe import adapter as stripe_adapter
from monitr_pipeline.settings import Settings
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.stripe import StripeSandbox, connect_with_api_key, create_app

VISSER, VAN_LEEUWEN, CLAES = "acct_1VisserOntwerp", "acct_1VanLeeuwenKof", "acct_1ClaesDrukkerij"
ENTITIES = {VISSER: 1, VAN_LEEUWEN: 2, CLAES: 3}
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: StripeSandbox
    url: str
    integration_id: int
    administrations: list

    def import_account(self, account_id: str = VISSER):
        """One import of a connected account, as the engine runs it (no Dagster)."""
        name = next(a.name for a in self.administrations if a.external_id == account_id)
        run = ImportRunContext(EntityContext(1, ENTITIES[account_id], account_id,
                                             f"stripe-{account_id}", name))
        client = entity_client(ADAPTER, self.url, account_id,
                               self.control.credential_store(self.integration_id),
                               label=str(run.entity))
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        return pipeline.run(provider_source(ADAPTER, run, client))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def world(self, account_id: str = VISSER):
        return self.sandbox.world(account_id)


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("stripe") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = StripeSandbox(requests_per_second=1_000_000)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = connect_with_api_key(control, organisation_id, None, server.url,
                                                  sandbox.api_key)
            administrations = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id,
                            administrations)


def _live(world, kind: str) -> set[str]:
    return {o["id"] for o in world.live(kind)}


def _loaded(connected, table: str, entity: int = ENTITIES[VISSER]) -> set[str]:
    return {row[0] for row in connected.query(
        f"select id from raw_stripe.{table} where _monitr_entity_id = {entity} "
        f"and not coalesce(deleted, false)")}


def test_the_platform_key_discovers_its_connected_accounts(connected):
    assert sorted((a.external_id, a.name, a.currency) for a in connected.administrations) == [
        (CLAES, "Drukkerij Claes BV", "EUR"),
        (VAN_LEEUWEN, "Koffiebranderij Van Leeuwen B.V.", "USD"),
        (VISSER, "Studio Visser Ontwerp", "EUR")]
    # The key is kept encrypted, never in what the control plane shows.
    info = connected.control.integration_info(connected.integration_id)
    assert connected.sandbox.api_key not in repr(info)


def test_a_key_of_one_account_is_that_one_administration(connected):
    key = connected.sandbox.issue_api_key(CLAES)
    integration = connect_with_api_key(connected.control, 1, None, connected.url, key)
    assert [(a.external_id, a.name) for a in discover(connected.control, ADAPTER, integration)] \
        == [(CLAES, "Drukkerij Claes BV")]


def test_full_import(connected):
    connected.import_account(VISSER)
    world = connected.world(VISSER)
    for table, kind in (("customers", "customer"), ("products", "product"), ("prices", "price"),
                        ("subscriptions", "subscription"), ("invoices", "invoice")):
        assert _loaded(connected, table) == _live(world, kind), table
    paid = connected.query("""select sum(amount_paid) from raw_stripe.invoices
                              where status = 'paid' and _monitr_entity_id = 1""")[0][0]
    assert paid == sum(i["amount_paid"] for i in world.live("invoice") if i["status"] == "paid")
    statuses = dict(connected.query("""select status, count(*) from raw_stripe.subscriptions
                                       where _monitr_entity_id = 1 group by 1"""))
    assert statuses.get("canceled")  # status=all: ended subscriptions are read too
    assert connected.query("select id, default_currency, read_at from raw_stripe.accounts") == [
        (VISSER, "eur", connected.sandbox.now())]
    requests = [(path, query) for _, path, query in connected.sandbox.request_log]
    assert connected.sandbox.versions_seen == {"2025-09-30.clover"}  # pinned on every call
    assert any(path == "/v1/subscriptions" and "status=all" in query
               and "expand[]=data.discounts.source.coupon" in query for path, query in requests)


def test_incremental_import_reads_events_with_a_change_and_a_deletion(connected):
    sandbox, world = connected.sandbox, connected.world(VISSER)
    sandbox.advance_to_day(sandbox.day + 3)
    running = [s for s in world.running() if s["status"] == "active"]
    canceled = sandbox.cancel_subscription(VISSER, running[0]["id"], at_period_end=True)
    customer = running[1]["customer"]
    sandbox.delete_customer(VISSER, customer)
    sandbox.request_log.clear()
    connected.import_account(VISSER)
    paths = {path for _, path, _ in sandbox.request_log}
    assert "/v1/customers" not in paths and "/v1/invoices" not in paths  # events, not lists
    assert any("created[gte]" in query for _, path, query in sandbox.request_log
               if path == "/v1/events")
    assert _loaded(connected, "customers") == _live(world, "customer")
    assert customer not in _loaded(connected, "customers")
    assert _loaded(connected, "invoices") == _live(world, "invoice")
    rows = dict(connected.query(f"""select id, cancel_at_period_end from raw_stripe.subscriptions
                                    where id in ('{canceled['id']}', '{running[1]['id']}')"""))
    assert rows[canceled["id"]] is True
    assert connected.query(f"""select status from raw_stripe.subscriptions
                               where id = '{running[1]['id']}'""") == [("canceled",)]
    # No duplicates: one row per entity and id, whatever the events repeated.
    for table in ("customers", "subscriptions", "invoices"):
        assert connected.query(f"""select count(*) - count(distinct (_monitr_entity_id, id))
                                   from raw_stripe.{table}""") == [(0,)], table


def test_a_subscription_with_more_items_than_it_embeds_is_read_whole(connected):
    sandbox, world = connected.sandbox, connected.world(VISSER)
    target = next(s for s in world.running() if s["status"] == "active")
    price = target["items"]["data"][0]["price"]["id"]
    for _ in range(11):
        sandbox.add_item(VISSER, target["id"], price, 1)
    sandbox.request_log.clear()
    connected.import_account(VISSER)
    assert any(path == "/v1/subscription_items" for _, path, _ in sandbox.request_log)
    assert connected.query(f"""select json_array_length(items_data) from raw_stripe.subscriptions
                               where id = '{target['id']}'""") == [(len(target["items"]["data"]),)]


def test_a_reimport_without_changes_loads_the_same(connected):
    before = connected.query("select count(*), sum(amount_paid) from raw_stripe.invoices")
    connected.import_account(VISSER)
    assert connected.query("select count(*), sum(amount_paid) from raw_stripe.invoices") == before


def test_a_cursor_older_than_the_events_reads_everything_again(connected, caplog):
    sandbox, world = connected.sandbox, connected.world(VISSER)
    # Deleted now, its event gone by the next import: only the whole list can tell.
    gone = next(s["customer"] for s in world.running() if s["status"] == "active")
    sandbox.delete_customer(VISSER, gone)
    sandbox.advance_to_day(sandbox.day + 40)
    sandbox.request_log.clear()
    with caplog.at_level(logging.INFO, logger=stripe_adapter.__name__):
        connected.import_account(VISSER)
    assert any("Studio Visser" in m and "read again" in m for m in caplog.messages), \
        caplog.messages
    assert "/v1/customers" in {path for _, path, _ in sandbox.request_log}
    assert gone not in _loaded(connected, "customers")
    for table, kind in (("customers", "customer"), ("subscriptions", "subscription"),
                        ("invoices", "invoice")):
        assert _loaded(connected, table) == _live(world, kind), table


def test_a_table_no_event_touched_is_not_read_whole_again(connected):
    # Products have had no event since the catalog was made: their cursor stays where the last
    # whole read put it, but every import reads their events up to its own start.
    sandbox = connected.sandbox
    for _ in range(2):
        sandbox.advance_to_day(sandbox.day + 20)
        sandbox.request_log.clear()
        connected.import_account(VISSER)
    assert "/v1/products" not in {path for _, path, _ in sandbox.request_log}
    assert _loaded(connected, "products") == _live(connected.world(VISSER), "product")


def test_each_connected_account_is_read_with_its_stripe_account_header(connected):
    connected.import_account(CLAES)
    world = connected.world(CLAES)
    assert _loaded(connected, "subscriptions", ENTITIES[CLAES]) == _live(world, "subscription")
    currencies = {row[0] for row in connected.query(
        "select distinct currency from raw_stripe.subscriptions where _monitr_entity_id = 3")}
    assert currencies == {"eur", "gbp"}


def _failure(connected, account_id: str = VISSER) -> str:
    with pytest.raises(Exception) as raised:
        connected.import_account(account_id)
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    return "\n".join(chain)


def _subscription_rows(connected) -> list[tuple]:
    return connected.query("""select id, status, seen_at from raw_stripe.subscriptions
                              where _monitr_entity_id = 2 order by id""")


def test_429_is_retried(connected, monkeypatch, caplog):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    connected.sandbox.inject_fault(r"^/v1/products", 429, times=2)
    connected.import_account(VAN_LEEUWEN)
    assert len(waits) >= 2
    assert _loaded(connected, "products", ENTITIES[VAN_LEEUWEN]) == _live(
        connected.world(VAN_LEEUWEN), "product")


def test_malformed_page_fails_and_loads_nothing(connected):
    before = _subscription_rows(connected)
    connected.sandbox.advance_to_day(connected.sandbox.day + 1)
    connected.sandbox.inject_fault(r"^/v1/events\?.*subscription", 200,
                                   body='{"object": "list", "data": [{"id": ')
    assert "is malformed" in _failure(connected, VAN_LEEUWEN)
    connected.sandbox.faults.clear()
    assert _subscription_rows(connected) == before


def test_a_bad_value_names_entity_record_and_field(connected):
    before = _subscription_rows(connected)
    world = connected.world(VAN_LEEUWEN)
    target = world.running()[0]["id"]

    def corrupt(subscription):
        subscription["start_date"] = "gisteren"
        return subscription

    connected.sandbox.add_item(VAN_LEEUWEN, target, world.running()[0]["items"]["data"][0][
        "price"]["id"], 1)
    connected.sandbox.inject_fault(rf"^/v1/subscriptions/{target}", None, edit=corrupt)
    failure = _failure(connected, VAN_LEEUWEN)
    connected.sandbox.faults.clear()
    assert "Van Leeuwen" in failure and "'start_date'" in failure and target in failure, failure
    assert _subscription_rows(connected) == before


def test_a_rolled_key_is_refused_with_stripes_words(connected):
    old = connected.sandbox.api_key
    connected.sandbox.roll_api_key()
    try:
        failure = _failure(connected, VISSER)
        assert "401" in failure and "Expired API Key" in failure and old not in failure
    finally:
        connected.control.save_credentials(connected.integration_id,
                                           {"api_key": connected.sandbox.api_key})
    connected.import_account(VISSER)


def test_a_disconnected_account_is_an_administration_gone(connected):
    connected.sandbox.remove_administration(CLAES)
    try:
        with pytest.raises(Exception) as raised:
            connected.import_account(CLAES)
        error = raised.value
        while error is not None and not isinstance(error, ProviderError):
            error = error.__cause__ or error.__context__
        assert error is not None and ADAPTER.administration_gone(error), raised.value
        visible = discover(connected.control, ADAPTER, connected.integration_id)
        assert CLAES not in {a.external_id for a in visible}
    finally:
        connected.sandbox.restore_administration(CLAES)
