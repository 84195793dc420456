"""Octopus end to end against its emulator over real HTTP: OAuth consent, discovery of dossiers,
a full import of every table, a window re-read of the open book year with a change and a
deletion, expired access and dossier tokens, the daily call limit, a malformed page, and the
year-opening journal counted once in the account balances."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
from monitr_pipeline.settings import Settings
from monitr_sandbox.ledger import closing_positions
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


def _ledger_lines(connected: Connected) -> int:
    return sum(len(e.lines) + (e.entry_type in ("sales", "sales_credit", "purchase") and 0)
               for e in connected.sandbox.ledger(DOSSIER).entries.values())


def test_discovery_lists_the_dossiers(connected):
    assert [(d.external_id, d.name) for d in connected.dossiers] == [
        ("410101", "Bakkerij Janssens BV"), ("410102", "Garage Wouters BV"),
        ("410103", "Vastgoed Maes NV")]
    assert {d.country for d in connected.dossiers} == {"BE"}


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
    accounts = connected.query("select count(*), count(distinct account_key_id) from raw_octopus.accounts")
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
    assert connected.query("select count(*) from raw_octopus.accounts") == [(3 * len(ledger.accounts),)]
    rows = connected.query("select count(*) from raw_octopus.booking_lines")
    assert rows == [(sum(len(e.lines) for e in ledger.entries.values()),)]
    for number in deleted:
        sequence = int(str(number)[4:])
        assert connected.query(f"""select count(*) from raw_octopus.booking_lines
            where bookyear_id = 3 and journal_key = 'D1' and document_sequence_nr = {sequence}""") == [(0,)]
    assert connected.query("""select count(*) from raw_octopus.booking_lines
        where line_comment like '%gecorrigeerd dag%'""") == [(1,)]
    assert changed.cost_centre in {c for (c,) in connected.query(
        "select cost_centre_id from raw_octopus.booking_lines where line_comment like '%gecorrigeerd dag%'")}


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


def test_malformed_record_is_named_and_nothing_is_loaded(connected):
    before = connected.query("select count(*), sum(amount) from raw_octopus.booking_lines")

    def bad_account(bookings):
        bookings[0]["bookingLines"][0]["accountKey"] = "kas"
        return bookings

    connected.sandbox.inject_fault(r"/bookings/modified", None, edit=bad_account)
    message = _fails(connected, "'kas'")
    assert "accountKey" in message and "booking_lines" in message
    assert connected.query("select count(*), sum(amount) from raw_octopus.booking_lines") == before
    connected.sandbox.faults.clear()


def test_malformed_page_is_named(connected):
    connected.sandbox.inject_fault(r"/costcentres", None, edit=lambda body: "[{\"costCentreKey\"")
    _fails(connected, "is malformed")
    connected.sandbox.faults.clear()


def test_opening_balances_count_once(connected):
    """Each balance-sheet account's balance at the end of the last book year, computed from the
    emulator's ledger itself (its last year's opening entry plus that year's movements, which
    equals the chain of closings), against the warehouse summed as the marts do: a year's
    opening entries, else the previous year's closing carried forward; movements without
    opening entries. It fails when the opening booking and the carried-forward balance both
    count (is_opening_entry not set), and when the opening journal is not read."""
    connected.import_dossier()
    ledger = connected.sandbox.ledger(DOSSIER)
    last = ledger.fiscal_years[-1]
    chart = ledger.chart
    expected: dict[str, Decimal] = {}
    for (account, _), amount in closing_positions(ledger, last).items():
        expected[account] = expected.get(account, Decimal(0)) + amount
    expected = {a: v for a, v in expected.items() if v and chart.by_code[a].balance_type == "B"}
    # The retained result of the last (open) year is not closed into equity yet: compare the
    # balance-sheet accounts without it.
    retained = chart.account("retained_earnings").code
    result = sum((line.amount for entry, line in ledger.lines()
                  if entry.fiscal_year == last and chart.by_code[line.account_code].balance_type == "W"),
                 Decimal(0))
    expected[retained] = expected.get(retained, Decimal(0)) - result
    warehouse = _balances_as_the_marts_count(connected, last)
    assert warehouse == {a: v for a, v in expected.items() if v}


def _balances_as_the_marts_count(connected: Connected, last_year: int) -> dict[str, Decimal]:
    from monitr_pipeline.providers.octopus.spec import SPEC  # noqa: F401  (the rule, in SQL)

    rows = connected.query(f"""
        with lines as (
            select b.account_key as account, year(p.bookyear_start_date) as fiscal_year,
                   b.journal_type_id = 5 as is_opening_entry,
                   case when b.journal_type_id = 2 and b.line_nr = 0 then b.amount
                        when b.journal_type_id = 2 then -b.base_amount * sign(b.document_amount)
                        when b.journal_type_id = 1 and b.line_nr = 0 then -b.amount
                        when b.journal_type_id = 1 then b.base_amount * sign(b.document_amount)
                        else b.amount end as amount
            from raw_octopus.booking_lines b
            join (select distinct _monitr_entity_id, bookyear_id, bookyear_start_date
                  from raw_octopus.bookyear_periods) p
              on p._monitr_entity_id = b._monitr_entity_id and p.bookyear_id = b.bookyear_id
            where b._monitr_entity_id = 1 and cast(b.account_key as varchar) < '6'
        )
        select account, fiscal_year,
               sum(case when is_opening_entry then amount else 0 end),
               sum(case when is_opening_entry then 0 else amount end),
               bool_or(is_opening_entry)
        from lines group by 1, 2 order by 2""")
    years: dict[int, dict[str, tuple[Decimal, Decimal]]] = {}
    has_opening: dict[int, bool] = {}
    for account, year, opening, movement, any_opening in rows:
        years.setdefault(year, {})[str(account)] = (opening, movement)
        has_opening[year] = has_opening.get(year, False) or any_opening
    closing: dict[str, Decimal] = {}
    for year in sorted(years):
        accounts = set(closing) | set(years[year])
        opened = {a: years[year].get(a, (Decimal(0), Decimal(0)))[0] for a in accounts} \
            if has_opening[year] else dict(closing)
        closing = {a: opened.get(a, Decimal(0)) + years[year].get(a, (0, Decimal(0)))[1]
                   for a in accounts}
    assert max(years) == last_year
    return {a: v for a, v in closing.items() if v}
