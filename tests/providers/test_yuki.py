"""Yuki end to end against its emulator over real HTTP: the access key connected and checked as a
user pastes it, discovery of the domain's administrations, a full import, a re-read of the open
years that sees a change and a deletion (closed years are not read again), and what goes wrong: a
stale session, the daily call budget (Yuki's and the import's own share), a malformed page, an
administration out of reach."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.connections.lifecycle import CredentialsRejected
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.yuki import ADAPTER
from monitr_pipeline.providers.yuki.planning import plan_years
from monitr_pipeline.settings import Settings
from monitr_sandbox.ledger import open_items
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.yuki import YukiSandbox, connect_with_access_key, create_app

_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
_ZERO = Decimal("0E-9")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: YukiSandbox
    url: str
    integration_id: int
    administrations: list

    @property
    def first(self) -> str:
        return self.sandbox.domain.administrations[0].id

    def import_administration(self, administration: str | None = None, entity_id: int = 1):
        """One import of the administration, as the engine runs it (no Dagster)."""
        administration = administration or self.first
        run = ImportRunContext(EntityContext(1, entity_id, administration,
                                             f"yuki-{administration}", administration))
        client = entity_client(ADAPTER, self.url, administration,
                               self.control.credential_store(self.integration_id),
                               label=administration)
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        self.last_run = run
        return pipeline.run(provider_source(ADAPTER, run, client))

    @property
    def calls_counted(self) -> int:
        """The calls the last import counted against the daily budget."""
        return self.last_run.provider_state["yuki.budget"].spent

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def gl_reads(self) -> list[str]:
        return [q for _, _, q in self.sandbox.request_log if "op=GetTransactionDetails" in q]

    def calls(self, operation: str) -> int:
        return sum(f"op={operation}" in q for _, _, q in self.sandbox.request_log)


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    """The NL host's domain, connected with its access key as a user pastes it."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("yuki") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = YukiSandbox("nl")
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = connect_with_access_key(control, organisation_id, "nl", server.url,
                                                     sandbox.access_key)
            administrations = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id,
                            administrations)


def test_connect_checks_the_access_key_and_discovers_the_domains_administrations(connected):
    assert [(a.external_id, a.name, a.country, a.currency) for a in connected.administrations] == [
        (a.id, a.name, "NL", "EUR") for a in connected.sandbox.domain.administrations]
    with pytest.raises(CredentialsRejected, match="Invalid access key"):
        connect_with_access_key(connected.control, 1, "nl", connected.url,
                                "00000000-0000-4000-8000-000000000000")


def test_full_import(connected):
    sandbox = connected.sandbox
    sandbox.request_log.clear()
    connected.import_administration()
    ledger = sandbox.ledger(connected.first)
    # The open years and, while nothing is known of the closed years' size, the newest of them.
    assert sorted({q.split("StartDate=")[1][:4] for q in connected.gl_reads()}) == [
        "2024", "2025", "2026"]
    booked = sum(len(entry.lines) for entry in ledger.entries.values() if entry.date.year >= 2024)
    assert connected.query("select count(*), sum(transaction_amount) from raw_yuki.gl_transactions"
                           ) == [(booked, _ZERO)]
    assert connected.query("""select document_id from raw_yuki.gl_transactions group by 1
                              having sum(transaction_amount) <> 0""") == []
    # Credit is negative.
    credits = connected.query("select count(*) from raw_yuki.gl_transactions "
                              "where gl_account_code = '8000' and transaction_amount < 0")[0][0]
    assert credits > 0
    assert connected.query("select type, count(*) from raw_yuki.accounts group by 1 order by 1"
                           ) == [(1, sum(a.balance_type == "B" and a.balance_side == "D"
                                         for a in ledger.accounts)),
                                 (2, sum(a.balance_type == "B" and a.balance_side == "C"
                                         for a in ledger.accounts)),
                                 (3, sum(a.balance_type == "W" and a.account_type == "revenue"
                                         for a in ledger.accounts)),
                                 (4, sum(a.balance_type == "W" and a.account_type != "revenue"
                                         for a in ledger.accounts))]
    assert connected.query("select count(*) from raw_yuki.projects") == [(len(ledger.projects),)]
    assert connected.query("select count(*), min(id), max(id) from raw_yuki.fiscal_periods") == [
        (36, "2024-01", "2026-12")]
    assert connected.query("select id, name, country from raw_yuki.administrations") == [
        (connected.first, ledger.profile.name, "NL")]
    receivable = sum(i.amount for i in ledger.open_items if i.kind == "receivable")
    payable = sum(i.amount for i in ledger.open_items if i.kind == "payable")
    assert connected.query("select sum(open_amount) from raw_yuki.outstanding_debtor_items"
                           )[0][0] == receivable
    assert connected.query("select sum(open_amount) from raw_yuki.outstanding_creditor_items"
                           )[0][0] == -payable
    # Debtor and creditor lines carry the document they are matched with: what they add up to
    # on a date is what was open then (the open-item history is built from them).
    # (Items whose own document lies in a year not read yet are left out.)
    for day in (date(2025, 6, 30), date(2026, 11, 30)):
        open_then = connected.query(f"""
            with matched as (select * from raw_yuki.gl_transactions
                             where match_document_id is not null),
            origins as (select distinct match_document_id from matched
                        where document_id = match_document_id)
            select coalesce(sum(case match_type when 'Creditor' then -1 else 1 end
                                * transaction_amount), 0)
            from matched inner join origins using (match_document_id)
            where transaction_date <= '{day}'""")[0][0]
        assert open_then == sum(i.amount for i in open_items(ledger, day)), day
    # The administration was asked for once, however many tables needed it.
    assert connected.calls("Administrations") == 1
    assert connected.calls("Authenticate") == 1
    assert connected.calls_counted == len(sandbox.request_log)


def test_reimport_rereads_the_open_years_with_a_change_and_a_deletion(connected):
    sandbox, first = connected.sandbox, connected.first
    ledger = sandbox.ledger(first)
    memorial = next(e for e in ledger.entries.values()
                    if e.fiscal_year == 2025 and e.entry_type == "general")
    sandbox.delete_entry(first, memorial.entry_number)
    sale = next(e for e in ledger.entries.values() if e.fiscal_year == 2026
                and e.entry_type == "sales")
    changed = sale.lines[1]
    sandbox.change_line(first, changed.id, description="Gecorrigeerde omschrijving")
    sandbox.advance_to_day(sandbox.day + 1)  # a new invoice, a payment, more changes
    sandbox.request_log.clear()
    connected.import_administration()
    # 2024 is closed and was read before; 2023 comes now its cost can be told from 2024's.
    years = sorted({q.split("StartDate=")[1][:4] for q in connected.gl_reads()})
    assert years == ["2023", "2025", "2026"]
    assert sorted(q.split("yearID=")[1][:4] for _, _, q in sandbox.request_log
                  if "op=GetPeriodDateTable" in q) == ["2023", "2025", "2026"]
    assert connected.query("select count(*) from raw_yuki.fiscal_periods") == [(48,)]
    booked = sum(len(entry.lines) for entry in ledger.entries.values())
    assert connected.query("select count(*), sum(transaction_amount) from raw_yuki.gl_transactions"
                           ) == [(booked, _ZERO)]
    assert connected.query(f"""select count(*) from raw_yuki.gl_transactions
                               where document_id = '{memorial.id}'""") == [(0,)]
    assert connected.query(f"""select description from raw_yuki.gl_transactions
                               where id = '{changed.id}'""") == [("Gecorrigeerde omschrijving",)]
    # Every account's balance per year is the ledger's after the changes.
    balances = dict(connected.query("""select gl_account_code || '/' || year(transaction_date),
                                       sum(transaction_amount) from raw_yuki.gl_transactions
                                       group by 1"""))
    expected: dict[str, Decimal] = {}
    for entry, line in ledger.lines():
        key = f"{line.account_code}/{entry.date.year}"
        expected[key] = expected.get(key, Decimal(0)) + line.amount
    assert {k: v for k, v in balances.items() if v} == {k: v for k, v in expected.items() if v}


def test_the_plan_reads_closed_years_as_far_as_the_share_goes():
    years = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]
    # Nothing known: the open years and the newest closed one.
    assert plan_years(years, 2026, [], {}, 100, 3) == ["2024", "2025", "2026"]
    # Known costs: up to three more, newest first, while they fit.
    known = {"2024": 4, "2025": 4, "2026": 3}
    assert plan_years(years, 2026, ["2024", "2025", "2026"], known, 100, 3) == [
        "2021", "2022", "2023", "2025", "2026"]
    assert plan_years(years, 2026, ["2024", "2025", "2026"], known, 15, 3) == [
        "2022", "2023", "2025", "2026"]
    # The open years are read whatever is left (the budget error then says so).
    assert plan_years(years, 2026, ["2024"], known, 0, 3) == ["2025", "2026"]


def test_a_stale_session_is_renewed_once(connected):
    sandbox = connected.sandbox
    sandbox.request_log.clear()
    sandbox.expire_sessions_after(4)  # the session goes stale in the middle of the import
    connected.import_administration()
    assert connected.calls("Authenticate") == 2
    # Every call counted against the budget: the stale one, the new session, the call again.
    assert connected.calls_counted == len(sandbox.request_log)


def _failure(connected, *args) -> BaseException:
    """The import's error, as raised (dlt wraps the provider's in its pipeline error)."""
    with pytest.raises(Exception) as raised:
        connected.import_administration(*args)
    return raised.value


def _cause(error: BaseException, kind: type) -> BaseException | None:
    while error is not None and not isinstance(error, kind):
        error = error.__cause__ or error.__context__
    return error


def _chain(error: BaseException) -> str:
    texts = []
    while error is not None:
        texts.append(str(error))
        error = error.__cause__ or error.__context__
    return " | ".join(texts)


def test_the_domains_daily_budget_spent_stops_the_import_without_retrying(connected):
    sandbox = connected.sandbox
    before = connected.query("select count(*) from raw_yuki.gl_transactions")
    sandbox.daily_call_limit = sandbox.calls_today + 3
    sandbox.request_log.clear()
    try:
        text = _chain(_failure(connected))
        assert "daily call budget for this domain is spent" in text
        assert "maximum number of calls per day" in text
        assert connected.first in text  # the entity
        # The fault is not asked again: one refused call after the three allowed.
        assert len(sandbox.request_log) == 4
        assert connected.query("select count(*) from raw_yuki.gl_transactions") == before
    finally:
        sandbox.daily_call_limit = 1000


def test_an_import_stops_at_its_share_of_the_budget(connected, monkeypatch):
    sandbox = connected.sandbox
    monkeypatch.setattr(ADAPTER, "calls_per_import", 5)
    sandbox.request_log.clear()
    text = _chain(_failure(connected))
    assert "this import has made the 5 Yuki calls one import may make" in text
    assert "of the domain's 1,000 a day" in text and connected.first in text
    assert len(sandbox.request_log) == 5


def test_a_gateways_503_is_asked_again_and_a_soap_fault_is_not(connected):
    sandbox = connected.sandbox
    sandbox.inject_fault(r"op=GetGLAccountScheme", 503, body="Service Unavailable",
                         headers={"Retry-After": "0", "Content-Type": "text/html"})
    connected.import_administration()
    assert sandbox.faults.take("op=GetGLAccountScheme") is None  # served, then asked again
    sandbox.request_log.clear()
    sandbox.inject_fault(r"op=GetProjectsAndID", 500, times=5)
    assert "Injected fault 500." in _chain(_failure(connected))
    assert connected.calls("GetProjectsAndID") == 1
    sandbox.faults.clear()


def test_a_malformed_page_names_entity_record_and_field_and_loads_nothing(connected):
    sandbox = connected.sandbox
    before = connected.query(
        "select count(*), sum(transaction_amount) from raw_yuki.gl_transactions")
    ledger = sandbox.ledger(connected.first)
    victim = next(line for entry in ledger.entries.values() if entry.date.year == 2026
                  for line in entry.lines)
    amount = f"<transactionAmount>{victim.amount:.2f}</transactionAmount>"

    def corrupt(text: str) -> str:
        start = text.index(str(victim.id))
        return text[:start] + text[start:].replace(amount, "<transactionAmount>12,50x"
                                                          "</transactionAmount>", 1)

    sandbox.inject_fault(r"op=GetTransactionDetails.*StartDate=2026-01-01.*startRecord=1&",
                         None, edit=corrupt)
    text = _chain(_failure(connected))
    assert "gl_transactions" in text and str(victim.id) in text and "transactionAmount" in text
    assert connected.query("select count(*), sum(transaction_amount) from raw_yuki.gl_transactions"
                           ) == before
    sandbox.faults.clear()
    sandbox.inject_fault(r"op=GetGLAccountScheme", None, edit=lambda text: text[: len(text) // 2])
    assert "is malformed" in _chain(_failure(connected))
    sandbox.faults.clear()


def test_an_administration_out_of_reach_is_gone(connected):
    sandbox, second = connected.sandbox, connected.sandbox.domain.administrations[1].id
    sandbox.remove_administration(second)
    try:
        error = _cause(_failure(connected, second, 2), ProviderError)
        assert error is not None and ADAPTER.administration_gone(error), error
        assert second not in [a.external_id for a in
                              discover(connected.control, ADAPTER, connected.integration_id)]
    finally:
        sandbox.restore_administration(second)
