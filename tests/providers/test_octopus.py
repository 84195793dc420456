"""Octopus end to end against its emulator over real HTTP: OAuth consent, discovery of dossiers,
a full import of every table, a window re-read of the open book year with a change and a
deletion, expired access and dossier tokens, the daily call limit, a malformed page, and the
year-opening journal counted once in the account balances."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import requests

from monitr_pipeline.connections.connect import complete_oauth, discover, start_oauth
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.octopus import ADAPTER
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_sandbox.oauth import SANDBOX_REDIRECT_URI
from monitr_sandbox.octopus import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    OctopusSandbox,
    create_app,
)
from monitr_sandbox.server import EmulatorServer

DOSSIER = "410101"  # three book years: 2024 and 2025 closed, 2026 open
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: OctopusSandbox
    url: str
    integration_id: int
    dossiers: list

    def import_dossier(self, dossier: str = DOSSIER, entity_id: int = 1):
        """One import of the dossier, as the engine runs it (no Dagster): the dlt load info."""
        run = ImportRunContext(EntityContext(1, entity_id, dossier, f"octopus-{dossier}", dossier))
        client = entity_client(ADAPTER, self.url, dossier,
                               self.control.credential_store(self.integration_id), label=dossier)
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        return pipeline.run(provider_source(ADAPTER, run, client))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def calls(self) -> list[tuple[str, str, str]]:
        return [c for c in self.sandbox.request_log if c[1].startswith("/octopus-rest-api/")]


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("octopus") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = OctopusSandbox()
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            start = start_oauth(ADAPTER, server.url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET,
                                SANDBOX_REDIRECT_URI)
            consent = requests.get(start.authorize_url, allow_redirects=False, timeout=10)
            integration_id = complete_oauth(
                control, ADAPTER, organisation_id, name="Octopus", environment=None,
                base_url_override=server.url, client_id=SANDBOX_CLIENT_ID,
                client_secret=SANDBOX_CLIENT_SECRET, start=start,
                callback_url=consent.headers["Location"])
            dossiers = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id, dossiers)


def _fails(connected: Connected, match: str) -> str:
    with pytest.raises(Exception) as raised:
        connected.import_dossier()
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    assert any(match in text for text in chain), chain
    return next(text for text in chain if match in text)


def test_discovery_lists_the_dossiers(connected):
    assert [(d.external_id, d.name) for d in connected.dossiers] == [
        ("410101", "Bakkerij Janssens BV"), ("410102", "Garage Wouters BV"),
        ("410103", "Vastgoed Maes NV")]
    assert {d.country for d in connected.dossiers} == {"BE"}


def test_the_sandbox_connects_like_a_user(connected):
    """`monitr connect --sandbox`'s way: the OAuth consent, discovery, every dossier selected."""
    from monitr_pipeline.connections.connect import select_administrations
    from monitr_sandbox.octopus import SANDBOX

    organisation_id = connected.control.ensure_organisation("other", "Other")
    integration_id = SANDBOX.connect(connected.control, organisation_id, "default", connected.url,
                                     connected.sandbox)
    chosen = select_administrations(connected.control, ADAPTER, integration_id,
                                    discover(connected.control, ADAPTER, integration_id))
    assert sorted(c.external_id for c in chosen) == ["410101", "410102", "410103"]
    assert connected.control.credential_store(integration_id).load()["token"]["refresh_token"]


def test_a_lost_dossier_says_so(connected):
    from monitr_pipeline.connections.health import classify_failure
    from monitr_pipeline.control.models import Health
    from monitr_pipeline.entity_import import root_cause

    connected.sandbox.remove_administration(DOSSIER)
    try:
        with pytest.raises(Exception) as raised:
            connected.import_dossier()
    finally:
        connected.sandbox.restore_administration(DOSSIER)
    finding = classify_failure(ADAPTER, root_cause(raised.value))
    assert finding is not None and finding.health is Health.ADMINISTRATION_NOT_FOUND


def test_full_import(connected):
    connected.sandbox.request_log.clear()
    connected.import_dossier()
    ledger = connected.sandbox.ledger(DOSSIER)
    rows = connected.query("select count(*) from raw_octopus.booking_lines")
    assert rows == [(sum(len(e.lines) for e in ledger.entries.values()),)]
    # Every booking balances once signed as the staging model signs it (debit positive).
    signed = connected.query(f"""
        select bookyear_id, journal_key, document_sequence_nr, sum(case
            when journal_type_id = 2 and line_nr = 0 then amount
            when journal_type_id = 2 then -base_amount * sign(document_amount)
            when journal_type_id = 1 and line_nr = 0 then -amount
            when journal_type_id = 1 then base_amount * sign(document_amount)
            else amount end)
        from raw_octopus.booking_lines group by 1, 2, 3""")
    assert signed and all(total == 0 for *_, total in signed)
    accounts = connected.query(
        "select count(*), count(distinct account_key_id) from raw_octopus.accounts")
    assert accounts == [(3 * len(ledger.accounts), len(ledger.accounts))]
    assert connected.query("select count(*) from raw_octopus.bookyear_periods") == [(36,)]
    assert connected.query("select dossier_id, name from raw_octopus.dossiers") == [
        (DOSSIER, "Bakkerij Janssens BV")]
    assert connected.query("select count(*) from raw_octopus.cost_centres") == [
        (len(ledger.cost_centres),)]
    assert connected.query("select count(*) from raw_octopus.fixed_assets") == [
        (len(ledger.fixed_assets),)]
    open_amount = connected.query("""select sum(open_amount) from raw_octopus.outstanding_items
                                     where relation_type = 'customer'""")[0][0]
    assert open_amount == sum(i.amount for i in ledger.open_items if i.kind == "receivable")
    # As few calls as the data needs: a dossier token, the dossier list, the book years, the
    # accounts, one call per book year, cost centres, outstanding items, fixed assets.
    paths = [path for _, path, _ in connected.calls()]
    assert len(paths) == 10, paths
    assert sum("/bookings/modified" in p for p in paths) == 3


def test_incremental_import_rereads_the_open_year_with_a_change_and_a_deletion(connected):
    sandbox = connected.sandbox
    ledger = sandbox.ledger(DOSSIER)
    before = {e.entry_number for e in ledger.entries.values()}
    sandbox.advance_to_day(sandbox.day + 1)  # a new invoice, a receipt, a changed line, a deletion
    deleted = before - set(ledger.entries)
    assert deleted
    changed = next(line for entry in ledger.entries.values() for line in entry.lines
                   if "gecorrigeerd dag" in line.description)
    sandbox.request_log.clear()
    connected.import_dossier()
    reads = [path for _, path, _ in connected.calls() if "/bookings/modified" in path]
    assert reads == [f"/octopus-rest-api/v1/dossiers/{DOSSIER}/bookyears/3/bookings/modified"]
    # Accounts did not change: /accounts/modified answered 404, which is no error.
    assert connected.query("select count(*) from raw_octopus.accounts") == [
        (3 * len(ledger.accounts),)]
    rows = connected.query("select count(*) from raw_octopus.booking_lines")
    assert rows == [(sum(len(e.lines) for e in ledger.entries.values()),)]
    for number in deleted:
        sequence = int(str(number)[4:])
        assert connected.query(f"""select count(*) from raw_octopus.booking_lines
            where bookyear_id = 3 and journal_key = 'D1'
              and document_sequence_nr = {sequence}""") == [(0,)]
    assert connected.query("""select count(*) from raw_octopus.booking_lines
        where line_comment like '%gecorrigeerd dag%'""") == [(1,)]
    assert changed.cost_centre in {c for (c,) in connected.query(
        """select cost_centre_id from raw_octopus.booking_lines
           where line_comment like '%gecorrigeerd dag%'""")}


def test_expired_access_and_dossier_tokens_are_renewed(connected):
    sandbox = connected.sandbox
    sandbox.expire_access_tokens()
    sandbox.expire_dossier_tokens()
    sandbox.request_log.clear()
    connected.import_dossier()
    token_calls = [c for c in sandbox.request_log if c[1] == "/octopus-oauth/token"]
    assert len(token_calls) == 1  # one refresh of the access token


def test_dossier_token_expiring_mid_import_is_obtained_again(connected):
    sandbox = connected.sandbox
    # The dossier token lapses between two calls of one import.
    sandbox.inject_fault(r"/costcentres", None, action=sandbox.expire_dossier_tokens)
    sandbox.request_log.clear()
    connected.import_dossier()
    posts = [c for c in connected.calls() if c[0] == "POST"]
    assert len(posts) == 2  # the first dossier token, and the one after it expired


def test_daily_limit_fails_the_import_and_says_so(connected):
    sandbox = connected.sandbox
    sandbox.daily_calls = sandbox.budget.used + 3
    try:
        message = _fails(connected, "Daily limit of webservice calls reached")
    finally:
        sandbox.daily_calls = 1_000_000
    assert "429" in message


def test_a_429_with_retry_after_is_waited_for(connected):
    connected.sandbox.inject_fault(r"/bookings/modified", 429, headers={"Retry-After": "0"})
    connected.import_dossier()
    assert connected.sandbox.faults.take("/bookings/modified") is None


def test_outstanding_items_are_refreshed_and_all_paid_is_valid(connected):
    assert connected.query("select count(*) from raw_octopus.outstanding_items") != [(0,)]
    connected.sandbox.inject_fault(r"/outstandingitems", None, edit=lambda items: [])
    connected.import_dossier()  # every item paid: no guard refuses the emptied snapshot
    assert connected.query("select count(*) from raw_octopus.outstanding_items") == [(0,)]
    connected.import_dossier()
    ledger = connected.sandbox.ledger(DOSSIER)
    assert connected.query("select count(*) from raw_octopus.outstanding_items") == [
        (len(ledger.open_items),)]


def test_malformed_record_is_named_and_nothing_is_loaded(connected):
    before = connected.query("select count(*), sum(amount) from raw_octopus.booking_lines")

    def bad_account(bookings):
        bookings[0]["bookingLines"][0]["accountKey"] = "kas"
        return bookings

    connected.sandbox.inject_fault(r"/bookings/modified", None, edit=bad_account)
    message = _fails(connected, "'kas'")
    assert "booking_lines record '3/OB/1/1'" in message and "accountKey" in message
    assert connected.query("select count(*), sum(amount) from raw_octopus.booking_lines") == before
    connected.sandbox.faults.clear()


def test_malformed_page_is_named(connected):
    connected.sandbox.inject_fault(r"/costcentres", None, edit=lambda body: "[{\"costCentreKey\"")
    _fails(connected, "is malformed")
    connected.sandbox.faults.clear()


def test_opening_balances_count_once(connected, tmp_path):
    """Each balance-sheet account's closing balance at the end of the last book year, computed
    from the emulator's ledger without its later years' opening entries (the first year's
    starting balance, every year's movements, each closed year's result in retained earnings),
    against fct_account_balances built by dbt from the imported dossiers. It fails when the
    year-opening journal's bookings and the carried-forward balance both count (or neither)."""
    for entity_id, dossier in enumerate(("410101", "410102", "410103"), start=1):
        connected.import_dossier(dossier, entity_id)
    _dbt(connected, tmp_path, "build", "--indirect-selection", "cautious", "--select",
         " ".join(f"+{model}" for model in _MARTS))
    for entity_id, dossier in enumerate(("410101", "410102", "410103"), start=1):
        ledger = connected.sandbox.ledger(dossier)
        last = ledger.fiscal_years[-1]
        expected = _closing_without_later_openings(ledger)
        warehouse = dict(connected.query(f"""
            select account_code, closing_balance from (
                select account_code, closing_balance, row_number() over (
                    partition by account_code order by fiscal_period desc) as latest
                from marts.fct_account_balances
                where provider = 'octopus' and entity_id = {entity_id}
                  and statement = 'balance_sheet' and fiscal_year = {last}) as balances
            where latest = 1 and closing_balance <> 0"""))
        assert warehouse == expected, dossier
        bases = {basis for (basis,) in connected.query(f"""
            select distinct opening_basis from marts.fct_account_balances
            where provider = 'octopus' and entity_id = {entity_id}
              and statement = 'balance_sheet'""")}
        assert bases == {"opening_entries"}, dossier
        lines = connected.query(f"""select count(*) filter (where is_opening_entry),
                count(*) filter (where entry_type = 'opening'), sum(amount)
            from marts.fct_gl_lines where provider = 'octopus' and entity_id = {entity_id}""")
        openings = sum(len(e.lines) for e in ledger.entries.values() if e.entry_type == "opening")
        assert lines == [(openings, openings, Decimal("0.00"))], dossier


# The marts the Octopus models feed, built with everything upstream and their tests.
_MARTS = ("fct_account_balances", "fct_gl_lines", "fct_entry_balances", "fct_outstanding_items",
          "dim_fixed_assets", "dim_accounts", "dim_analytical_axes", "dim_fiscal_periods")


def _closing_without_later_openings(ledger) -> dict[str, Decimal]:
    chart = ledger.chart
    first, last = ledger.fiscal_years[0], ledger.fiscal_years[-1]
    retained = chart.account("retained_earnings").code
    closing: dict[str, Decimal] = {}
    for entry, line in ledger.lines():
        account = chart.by_code[line.account_code]
        if entry.entry_type == "opening" and entry.fiscal_year != first:
            continue  # the carry-forward, computed here from the years before instead
        if account.balance_type == "W":
            if entry.fiscal_year == last:
                continue  # the open year's result is not closed into equity yet
            code = retained
        else:
            code = line.account_code
        closing[code] = closing.get(code, Decimal(0)) + line.amount
    return {code: amount for code, amount in closing.items() if amount}


def _dbt(connected: Connected, tmp_path, *args: str) -> None:
    """dbt itself, on this module's warehouse (its own target folder: others may run dbt)."""
    env = {**os.environ, **connected.settings.dbt_env()}
    outcome = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert outcome.returncode == 0, outcome.stdout[-4000:]
