"""Minox end to end against its emulator over real HTTP: the main user's consent, discovery through
token introspection, a full import, fiscal years read again (a change and a deletion), and what
goes wrong: an expired and a revoked token, the rate limit (headers and a 429), malformed pages."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion import http
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.minox import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.minox import MinoxSandbox, create_app
from monitr_sandbox.minox.provider import connect_subscription
from monitr_sandbox.server import EmulatorServer

CLIENT, ADMINISTRATION = 10042, 1
EXTERNAL_ID = f"{CLIENT}/{ADMINISTRATION}"
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: MinoxSandbox
    url: str
    integration_id: int
    administrations: list

    def import_administration(self):
        """One import of the administration, as the engine runs it (no Dagster)."""
        run = ImportRunContext(EntityContext(1, 1, EXTERNAL_ID, "minox-10042-1", "Korenschoof"))
        client = entity_client(ADAPTER, self.url, EXTERNAL_ID,
                               self.control.credential_store(self.integration_id),
                               label=str(run.entity))
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        return pipeline.run(provider_source(ADAPTER, run, client))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def ledger(self):
        return self.sandbox.ledger(CLIENT, ADMINISTRATION)


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    """The emulator with every subscription; the first one connected through the real consent."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("minox") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        # A generous window: only the rate-limit tests tighten it.
        sandbox = MinoxSandbox(rate_limit=1000, rate_window_seconds=60, retry_after_seconds=1)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = connect_subscription(control, organisation_id, server.url, CLIENT)
            administrations = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id,
                            administrations)


def test_discovery_lists_the_subscriptions_administrations(connected):
    assert [(a.external_id, a.name, a.currency) for a in connected.administrations] == [
        (EXTERNAL_ID, "Bakkerij De Korenschoof B.V.", "EUR")]
    # Another main user's consent sees its own subscription only.
    other = connect_subscription(connected.control, 1, connected.url, 20317)
    assert [a.external_id for a in discover(connected.control, ADAPTER, other)] == ["20317/3"]


def test_full_import(connected):
    connected.import_administration()
    ledger = connected.ledger()
    lines = connected.query("""select count(*), sum(debit) - sum(credit)
                               from raw_minox.transaction_lines""")
    assert lines == [(sum(len(e.lines) for e in ledger.entries.values()), Decimal("0E-9"))]
    unbalanced = connected.query("""select batch_id from raw_minox.transaction_lines
                                    group by 1 having sum(debit) <> sum(credit)""")
    assert unbalanced == []
    assert connected.query("select count(*) from raw_minox.ledger_accounts") == [
        (len(ledger.accounts),)]
    assert connected.query("select id, name from raw_minox.administrations") == [
        ("1", "Bakkerij De Korenschoof B.V.")]
    for table, count in (("cost_centers", len(ledger.cost_centres)),
                         ("cost_types", len(ledger.cost_units)),
                         ("journals", len(ledger.journals)),
                         ("fiscal_periods", len(ledger.periods))):
        assert connected.query(f"select count(*) from raw_minox.{table}") == [(count,)], table
    open_amount = connected.query("select sum(balance) from raw_minox.receivables")[0][0]
    assert open_amount == sum(i.amount for i in ledger.open_items if i.kind == "receivable")
    openings = connected.query("""select distinct period_id from raw_minox.transaction_lines
                                  where journal_id = '95'""")
    assert openings == [(0,)]


def test_open_year_read_again_with_a_change_and_a_deletion(connected):
    sandbox = connected.sandbox
    before = {str(line.id): line.cost_centre for _, line in connected.ledger().lines()}
    sandbox.advance_to_day(sandbox.day + 1)
    after = {str(line.id): line.cost_centre for _, line in connected.ledger().lines()}
    deleted = set(before) - set(after)
    changed = {i for i in set(before) & set(after) if before[i] != after[i]}
    assert deleted and changed  # the day deleted a booking and moved a line to another centre
    sandbox.request_log.clear()
    connected.import_administration()
    years = [path for _, path, _ in sandbox.request_log if path.endswith("transaction_lines")]
    assert years and all("/year/2026/" in path for path in years)  # 2025 is closed
    ledger = connected.ledger()
    lines = connected.query("""select count(*), sum(debit) - sum(credit)
                               from raw_minox.transaction_lines""")
    assert lines == [(sum(len(e.lines) for e in ledger.entries.values()), Decimal("0E-9"))]
    # The warehouse holds exactly the ledger's lines, with their corrected cost centres.
    loaded = dict(connected.query("""select id, cost_center_id
                                     from raw_minox.transaction_lines"""))
    expected = {str(line.id): line.cost_centre for _, line in ledger.lines()}
    assert loaded.keys() == expected.keys() and not deleted & loaded.keys()
    assert {i: loaded[i] for i in changed} == {i: after[i] for i in changed}
    assert {k: v for k, v in loaded.items() if v} == {k: v for k, v in expected.items() if v}


def test_expired_access_token_is_refreshed(connected):
    before = connected.control.load_credentials(connected.integration_id)["token"]
    connected.sandbox.expire_access_tokens()
    connected.import_administration()
    after = connected.control.load_credentials(connected.integration_id)["token"]
    assert after["access_token"] != before["access_token"]
    assert after["refresh_token"] != before["refresh_token"]  # the rotation was kept


def _failure(connected) -> str:
    with pytest.raises(Exception) as raised:
        connected.import_administration()
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    return "\n".join(chain)


def _loaded_lines(connected) -> int:
    return connected.query("select count(*) from raw_minox.transaction_lines")[0][0]


def test_malformed_page_fails_and_loads_nothing(connected):
    before = _loaded_lines(connected)
    connected.sandbox.inject_fault(r"transaction_lines", 200, body='[{"id": "x", "debit": ')
    assert "is malformed" in _failure(connected)
    connected.sandbox.faults.clear()
    assert _loaded_lines(connected) == before


def test_a_bad_value_names_entity_record_and_field(connected):
    before = _loaded_lines(connected)

    def corrupt(lines):
        lines[1]["debit"] = "veel"
        return lines

    connected.sandbox.inject_fault(r"year/2026/transaction_lines", None, edit=corrupt)
    failure = _failure(connected)
    connected.sandbox.faults.clear()
    record = connected.sandbox.books(CLIENT, ADMINISTRATION).transaction_lines(2026)[1]["id"]
    assert "Korenschoof" in failure and "'debit'" in failure and record in failure, failure
    assert _loaded_lines(connected) == before


def test_429_waits_its_retry_after_and_says_so(connected, monkeypatch, caplog):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    connected.sandbox.inject_fault(r"/ledger_account", 429,
                                   headers={"Retry-After": "120", "x-rate-limit-limit": "20"})
    with caplog.at_level(logging.INFO, logger=http.__name__):
        connected.import_administration()
    assert 120.0 in waits
    assert any("Korenschoof" in m and "429" in m and "120 s" in m for m in caplog.messages), \
        caplog.messages


def test_a_spent_window_is_waited_out_before_a_429(connected, monkeypatch, caplog):
    """Few calls a window: the client pauses until x-rate-limit-reset when none are left, so the
    emulator never has to refuse one; a long pause is logged with the entity."""
    sandbox = connected.sandbox
    limits = sandbox.rate_limits
    offset = [0.0]
    waits: list[float] = []

    def pause(seconds: float) -> None:  # time passes for the emulator, not for the test
        waits.append(seconds)
        offset[0] += seconds + 0.01

    sandbox.clock = lambda: time.time() + offset[0]
    refusals: list[int] = []
    spend = limits.spend

    def counting_spend(client_number):
        verdict = spend(client_number)
        if not verdict.allowed:
            refusals.append(client_number)
        return verdict

    monkeypatch.setattr(limits, "spend", counting_spend)
    monkeypatch.setattr(limits, "limit", 4)
    monkeypatch.setattr(limits, "window_seconds", 30.0)
    monkeypatch.setattr(http, "pause", pause)
    sandbox.rate_limits._windows.clear()
    try:
        with caplog.at_level(logging.INFO, logger=http.__name__):
            connected.import_administration()
    finally:
        sandbox.clock = time.time
        sandbox.rate_limits._windows.clear()
    assert refusals == []
    assert len(waits) >= 2 and all(w > 0 for w in waits), waits
    assert any("Korenschoof" in m and "quota spent" in m for m in caplog.messages), caplog.messages


def test_revoked_refresh_token_marks_the_integration_unhealthy(connected):
    connected.sandbox.revoke_all_tokens()
    connected.sandbox.expire_access_tokens()
    with pytest.raises(Exception) as raised:
        connected.import_administration()
    error = raised.value
    while error is not None and not isinstance(error, ReconnectRequired):
        error = error.__cause__ or error.__context__
    assert isinstance(error, ReconnectRequired)
    info = connected.control.integration_info(connected.integration_id)
    assert info.health == "token_expired" and "reconnect" in (info.health_reason or "")
