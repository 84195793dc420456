"""Odoo end to end against the emulator over real HTTP: connect with database, login and API key,
discover the companies, import them (JSON-2, and JSON-RPC), incrementally after a change and a
deletion, and the failures: a rejected key, an error inside a 200, a malformed page, a 429."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.connections.connect import discover, select_administrations
from monitr_pipeline.connections.lifecycle import CredentialsRejected, check_credentials
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.entity_import import EntityImport, root_cause
from monitr_pipeline.ingestion.run_context import ImportDataError
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.odoo import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.odoo import DATABASE, LOGIN, OdooSandbox, connect_with_api_key, create_app
from monitr_sandbox.server import EmulatorServer

WORLD_PROVIDERS = ("odoo",)  # the sandbox world this module needs


@dataclass
class OdooWorld:
    settings: Settings
    control: ControlPlane
    sandbox: OdooSandbox
    url: str
    integration_id: int

    def connections(self):
        return sorted(self.control.connections("odoo"), key=lambda c: c.external_id)

    def run(self, external_id: str = "1"):
        """One import of the company's entity, as the Dagster asset runs it (pipeline + source)."""
        connection = next(c for c in self.connections() if c.external_id == external_id)
        entity_import = EntityImport(self.settings, self.control, ADAPTER, connection)
        run = entity_import.run_context()
        pipeline = entity_import.pipeline()
        pipeline.run(entity_import.source(run))
        return entity_import.rows_loaded(pipeline)

    def failure(self, external_id: str = "1") -> BaseException:
        with pytest.raises(Exception) as raised:
            self.run(external_id)
        return root_cause(raised.value)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OdooWorld]:
    """One MONITR_HOME and one emulator for the module; the companies connected and selected."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL", "MONITR_DAGSTER_PG_URL",
                     "MONITR_SECRET_KEY"):
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("odoo") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = OdooSandbox()
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("odoo-test", "Odoo test")
            integration_id = connect_with_api_key(control, organisation_id, "default", server.url,
                                                  DATABASE, LOGIN, sandbox.api_key)
            select_administrations(control, ADAPTER, integration_id,
                                   discover(control, ADAPTER, integration_id))
            yield OdooWorld(settings, control, sandbox, server.url, integration_id)


def test_discovery_lists_the_companies(world):
    assert [(c.external_id, c.entity_name) for c in world.connections()] == [
        ("1", "Installatiebedrijf Verhoeven B.V."), ("2", "Verhoeven Technics BV")]


def test_full_import_of_both_companies_balances(world):
    assert world.run("1") > 0 and world.run("2") > 0
    per_entity = world.query("""
        select l._monitr_entity_id, count(*), sum(l.balance), sum(l.debit) - sum(l.credit)
        from raw_odoo.move_lines l
        join raw_odoo.move_line_keys k
          on k._monitr_entity_id = l._monitr_entity_id and k.id = l.id
        group by 1""")
    assert len(per_entity) == 2
    for _, count, balance, net in per_entity:
        assert count > 1000 and balance == 0 and net == 0
    served = {c: sum(1 for r in world.sandbox.database.records("account.move.line")
                     if r["_company"] == c and r["parent_state"] == "posted") for c in (1, 2)}
    assert sorted(n for _, n, _, _ in per_entity) == sorted(served.values())
    assert world.query("select distinct parent_state from raw_odoo.move_lines") == [("posted",)]
    companies = world.query("select id, fiscalyear_last_day, fiscalyear_last_month, country_code, "
                            "currency_name from raw_odoo.companies order by id")
    assert companies == [(1, 31, 12, "NL", "EUR"), (2, 31, 12, "BE", "EUR")]
    types = dict(world.query("select code, account_type from raw_odoo.accounts a "
                             "where _monitr_entity_id = (select max(_monitr_entity_id) "
                             "from raw_odoo.accounts)"))
    assert types["400000"] == "asset_receivable"
    distributed = world.query("select analytic_distribution from raw_odoo.move_lines "
                              "where analytic_distribution is not null limit 1")
    assert distributed and '"' in str(distributed[0][0])
    open_items = world.query("""
        select count(*) from raw_odoo.move_lines l join raw_odoo.accounts a
          on a._monitr_entity_id = l._monitr_entity_id and a.id = l.account_id
        where a.account_type in ('asset_receivable', 'liability_payable')
          and l.amount_residual <> 0""")[0][0]
    assert open_items > 0


def test_incremental_import_reads_changes_and_finds_deletions(world):
    assert world.run("1") < 100  # nothing changed: the boundary second and snapshots' changes only
    sandbox = world.sandbox
    ledger = sandbox.ledger(1)
    memorial = next(e for e in reversed(ledger.entries.values()) if e.entry_type == "general")
    sales_line = next(e for e in ledger.entries.values() if e.entry_type == "sales").lines[1]
    sandbox.change_line(1, sales_line.id, description="Gecorrigeerd door de boekhouder")
    deleted_ids = {sandbox.database.line_id(1, line.id) for line in memorial.lines}
    sandbox.delete_entry(1, memorial.entry_number)
    requests_before = len(sandbox.request_log)
    world.run("1")
    changed_id = sandbox.database.line_id(1, sales_line.id)
    assert world.query(f"select name from raw_odoo.move_lines where id = {changed_id}") == [
        ("Gecorrigeerd door de boekhouder",)]
    keys = {row[0] for row in world.query(
        "select id from raw_odoo.move_line_keys k join raw_odoo.move_lines l using (id, "
        "_monitr_entity_id)")}
    assert not deleted_ids & keys
    balance = world.query("""
        select sum(l.balance) from raw_odoo.move_lines l join raw_odoo.move_line_keys k
          on k._monitr_entity_id = l._monitr_entity_id and k.id = l.id
        where l._monitr_entity_id = (select min(_monitr_entity_id) from raw_odoo.move_lines)""")
    assert balance == [(Decimal("0E-9"),)] or balance[0][0] == 0
    # The lines were asked for from the last write_date on, not all again.
    line_calls = [q for m, p, q in sandbox.request_log[requests_before:]
                  if p == "/json/2/account.move.line/search_read"]
    assert line_calls


def test_a_day_of_bookkeeping_is_imported_incrementally(world):
    world.sandbox.advance_to_day(1)
    assert 0 < world.run("1") < 400
    assert world.query("""
        select sum(l.balance) from raw_odoo.move_lines l join raw_odoo.move_line_keys k
          on k._monitr_entity_id = l._monitr_entity_id and k.id = l.id
        group by l._monitr_entity_id""")[0][0] == 0


def test_an_error_envelope_inside_a_200_is_a_malformed_page(world):
    world.sandbox.inject_fault(r"/json/2/account\.move\.line/", 200, body=(
        '{"jsonrpc": "2.0", "id": null, "error": {"code": 200, "message": "Odoo Server Error"}}'))
    cause = world.failure("2")
    assert isinstance(cause, ImportDataError)
    assert "Verhoeven Technics" in str(cause) and "account.move.line" in str(cause)
    assert "malformed" in str(cause) and "Odoo Server Error" in str(cause)


def test_a_malformed_page_names_the_record_and_field(world):
    world.sandbox.inject_fault(r"/json/2/account\.move\.line/search_read", None, edit=lambda rows: [
        {**row, "balance": "12,50"} if i == 0 else row for i, row in enumerate(rows)])
    cause = world.failure("2")
    assert isinstance(cause, ImportDataError)
    assert "move_lines" in str(cause) and "'balance'" in str(cause)


def test_a_429_is_waited_for(world, monkeypatch):
    waits = []
    monkeypatch.setattr("monitr_pipeline.ingestion.http.pause", waits.append)
    world.sandbox.inject_fault(r"/json/2/account\.move\.line/", 429, headers={"Retry-After": "3"})
    world.run("2")
    assert 3.0 in waits


def test_the_json_rpc_transport_reads_the_same_and_raises_odoo_errors(world):
    credentials = world.control.credential_store(world.integration_id).load()
    world.control.save_credentials(world.integration_id, {**credentials, "protocol": "jsonrpc"})
    try:
        requests_before = len(world.sandbox.request_log)
        world.run("2")
        calls = [q for _, p, q in world.sandbox.request_log[requests_before:] if p == "/jsonrpc"]
        assert any("model=account.move.line&call=search_read" in q for q in calls)
        assert any("service=common&method=authenticate" in q for q in calls)
        # JSON-RPC answers a server error inside an HTTP 200: the same ProviderError.
        world.sandbox.inject_fault(r"model=account\.move\.line&call=search_read", 200)
        cause = world.failure("2")
        assert isinstance(cause, ProviderError) and cause.status == 422
        assert "odoo.exceptions.UserError" in str(cause) and "account.move.line" in str(cause)
    finally:
        world.control.save_credentials(world.integration_id, credentials)


def test_a_rejected_api_key_fails_the_import_and_the_check(world):
    key = world.sandbox.api_key
    world.sandbox.expire_api_key()
    try:
        cause = world.failure("1")
        assert isinstance(cause, ProviderError) and cause.status == 401
        assert "Invalid apikey" in str(cause)
        with pytest.raises(CredentialsRejected, match="Invalid apikey"):
            check_credentials(ADAPTER, world.url, {"database": DATABASE, "username": LOGIN,
                                                   "api_key": key})
    finally:
        world.sandbox._keys[key]["expired"] = False
