"""Teamleader Focus end to end against its emulator over real HTTP: the consent, discovery of
the account's departments, a full import of one department, re-imports after a day of changes
(changes loaded, deletions found by comparing the full list's ids, no duplicates), the rotating
refresh token saved at once, and what goes wrong: an expired token, a spent refresh token, the
rate limit (a spent minute and a 429), a malformed page and a bad value."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest
import requests

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.rules import ConnectionRuleError
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion import http
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.teamleader import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.organisation import assign_beside_entities
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.teamleader import DEPARTMENTS, TeamleaderSandbox, create_app
from monitr_sandbox.teamleader.provider import connect_account

DEPARTMENT = DEPARTMENTS[0]
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: TeamleaderSandbox
    url: str
    integration_id: int
    administrations: list

    def import_department(self, partition: str = "teamleader-1"):
        run = ImportRunContext(EntityContext(1, 1, DEPARTMENT.id, partition, "Janssens"))
        client = entity_client(ADAPTER, self.url, DEPARTMENT.id,
                               self.control.credential_store(self.integration_id),
                               label=str(run.entity))
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        return pipeline.run(provider_source(ADAPTER, run, client))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def deals(self) -> dict[str, tuple]:
        return {r[0]: r[1:] for r in self.query(
            "select id, status, current_phase_id, estimated_value_amount, updated_at "
            "from raw_teamleader.deals")}

    def expected_deals(self) -> dict[str, tuple]:
        return {d.id: (d.status, d.phase, d.amount, d.updated_at)
                for d in self.sandbox.book.deals.values() if d.department == DEPARTMENT.id}

    def token(self) -> dict:
        return self.control.load_credentials(self.integration_id)["token"]


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("teamleader") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = TeamleaderSandbox(per_minute=100_000)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = connect_account(control, organisation_id, server.url)
            administrations = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id,
                            administrations)


def test_discovery_lists_the_accounts_departments(connected):
    assert sorted((a.external_id, a.name, a.currency) for a in connected.administrations) == \
        sorted((d.id, d.name, "EUR") for d in DEPARTMENTS)


def test_departments_join_the_entities_of_their_names(connected):
    control, organisation_id = connected.control, 1
    with pytest.raises(ConnectionRuleError):
        control.connect_entity(connected.integration_id, DEPARTMENT.id, DEPARTMENT.name, "crm")
    accounting = control.create_integration(organisation_id, "odoo", "Odoo", "api_credentials",
                                            credentials={"api_key": "unused"})
    entities = {d.id: control.connect_entity(accounting, f"ODOO-{i}", d.name.upper())
                for i, d in enumerate(DEPARTMENTS)}
    joined = assign_beside_entities(control, ADAPTER, organisation_id, connected.integration_id,
                                    connected.administrations)
    assert sorted((c.entity_id, c.external_id, c.kind) for c in joined) == sorted(
        (entities[d.id].entity_id, d.id, "crm") for d in DEPARTMENTS)


def test_full_import(connected):
    connected.import_department()
    book = connected.sandbox.book
    assert connected.deals() == connected.expected_deals()
    subs = connected.query("select id, billing_cycle_periodicity_unit, "
                           "billing_cycle_periodicity_period, total_tax_exclusive_amount "
                           "from raw_teamleader.subscriptions")
    assert sorted(subs) == sorted((s.id, s.unit, s.period, s.amount)
                                  for s in book.subscriptions.values()
                                  if s.department == DEPARTMENT.id)
    projects = {p.id for p in book.projects.values() if p.department == DEPARTMENT.id}
    assert {r[0] for r in connected.query("select id from raw_teamleader.projects")} == projects
    entries = connected.query("select id, project_id, duration from raw_teamleader.time_tracking")
    assert sorted(entries) == sorted((e.id, e.project, e.duration)
                                     for e in book.time_entries.values()
                                     if e.project in projects)
    materials = connected.query("select id, project_id, cost_amount "
                                "from raw_teamleader.materials")
    assert materials and sorted(materials) == sorted(
        (m.id, m.project, (m.quantity * m.unit_cost).quantize(Decimal("0.01")))
        for m in book.materials.values() if m.project in projects)
    phases = connected.query("select id, pipeline_id, probability, phase_order "
                             "from raw_teamleader.deal_phases")
    assert len(phases) == 7 and {p[2] for p in phases} >= {Decimal("0.75"), Decimal("0.8")}
    assert connected.query("select id, name, currency from raw_teamleader.departments") == [
        (DEPARTMENT.id, DEPARTMENT.name, "EUR")]


def test_reimport_finds_changes_and_deletions_by_comparing_ids(connected):
    sandbox = connected.sandbox
    before = connected.expected_deals()
    sandbox.advance_to_day(sandbox.day + 1)
    sandbox.request_log.clear()
    info = connected.import_department()
    loaded, expected = connected.deals(), connected.expected_deals()
    assert loaded == expected
    # Only what changed reaches the warehouse: two deals moved on, one added, one deleted.
    normalized = info.pipeline.last_trace.last_normalize_info.row_counts
    assert normalized.get("deals") == 4, normalized
    gone = before.keys() - expected.keys()
    assert len(gone) == 1 and not gone & loaded.keys()  # never listed: found missing
    assert len({k for k in before.keys() & expected.keys() if before[k] != expected[k]}) == 2
    assert connected.query("select count(*) - count(distinct id) from raw_teamleader.deals"
                           ) == [(0,)]
    # One full list a table: as many calls as its pages, nothing more (the department's
    # projects are read once, for the projects, their time and their materials).
    deal_calls = [e for e in sandbox.request_log if e[1] == "/deals.list"]
    assert len(deal_calls) == len(sandbox.book.deals) // 100 + 1
    project_calls = [e for e in sandbox.request_log if e[1] == "/projects-v2/projects.list"]
    assert len(project_calls) == 2  # the projects table's own list, and the readers' one
    entries = {e.id for e in sandbox.book.time_entries.values()}
    loaded_entries = {r[0] for r in connected.query("select id from raw_teamleader.time_tracking")}
    assert loaded_entries <= entries


def test_an_unchanged_reimport_loads_nothing_new(connected):
    connected.import_department()
    before = connected.query("select count(*) from raw_teamleader.deals")
    connected.import_department()
    assert connected.query("select count(*) from raw_teamleader.deals") == before
    assert connected.deals() == connected.expected_deals()


def test_expired_access_token_is_refreshed_and_the_new_pair_saved(connected):
    before = connected.token()
    refreshes = connected.sandbox.tokens.refreshes()
    connected.sandbox.expire_access_tokens()
    connected.import_department()
    after = connected.token()
    assert after["access_token"] != before["access_token"]
    # Single use: the refresh token rotated, and the new one was saved at once.
    assert after["refresh_token"] != before["refresh_token"]
    assert connected.sandbox.tokens.refreshes() == refreshes + 1
    # The spent one is refused from now on.
    with pytest.raises(Exception, match="invalid"):
        connected.sandbox.tokens.refresh(before["refresh_token"])


def _failure(connected) -> str:
    with pytest.raises(Exception) as raised:
        connected.import_department()
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    return "\n".join(chain)


def _loaded(connected) -> list[tuple]:
    return connected.query("select id, estimated_value_amount, updated_at "
                           "from raw_teamleader.deals order by id")


def test_malformed_page_fails_and_loads_nothing(connected):
    connected.sandbox.advance_to_day(connected.sandbox.day + 1)
    before = _loaded(connected)
    connected.sandbox.inject_fault(r"^/deals\.list", 200, body='{"data": [{"id": ')
    assert "is malformed" in _failure(connected)
    connected.sandbox.faults.clear()
    assert _loaded(connected) == before
    connected.sandbox.inject_fault(r"^/deals\.list", 200, body='{"meta": {}}')
    assert "is malformed" in _failure(connected)
    connected.sandbox.faults.clear()
    assert _loaded(connected) == before


def test_a_bad_value_names_entity_record_and_field(connected):
    before = _loaded(connected)
    bad: list[str] = []

    def corrupt(answer):
        row = next(r for r in answer["data"] if r["department"]["id"] == DEPARTMENT.id)
        row["estimated_value"]["amount"] = "veel geld"
        bad.append(row["id"])
        return answer

    connected.sandbox.inject_fault(r"^/deals\.list", None, edit=corrupt)
    failure = _failure(connected)
    connected.sandbox.faults.clear()
    assert "Janssens" in failure and "estimated_value.amount" in failure and bad[0] in failure, \
        failure
    assert _loaded(connected) == before
    connected.import_department()
    assert connected.deals() == connected.expected_deals()


def test_429_waits_until_the_window_resets(connected, monkeypatch, caplog):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    connected.sandbox.inject_fault(r"^/subscriptions\.list", 429, body=(
        '{"errors": [{"title": "Too Many Requests", "status": 429}]}'), headers={
        "X-RateLimit-Limit": "200", "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": (datetime.now(UTC) + timedelta(seconds=7)).isoformat(
            timespec="milliseconds")})
    with caplog.at_level(logging.INFO, logger=http.__name__):
        connected.import_department()
    assert any(6 < w <= 7.1 for w in waits), waits  # until the oldest call leaves the window
    assert any("Janssens" in m and "429" in m and "7 s" in m for m in caplog.messages), \
        caplog.messages
    assert connected.deals() == connected.expected_deals()


def test_the_emulators_own_limit_answers_429_and_a_spent_minute_pauses(connected, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    limit = connected.sandbox.rate_limit
    monkeypatch.setattr(limit, "limit", 3)
    limit.reset()
    connected.sandbox.request_log.clear()
    try:
        # The pauses are skipped here, so the 4th call is refused (429) until tries run out.
        assert "429" in _failure(connected)
    finally:
        limit.reset()
    # The third answer's X-RateLimit-Remaining 0 paused until its X-RateLimit-Reset, and so
    # did each 429 before its retry: a minute at most each.
    assert len(connected.sandbox.request_log) == 3 + 5  # three answered, five tries refused
    assert len(waits) == 1 + 4 and all(50 < w <= 60.1 for w in waits), waits


def _answer(status: int, headers: dict) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, b"{}"
    response.headers.update(headers)
    return response


def test_a_spent_minute_pauses_until_the_oldest_call_leaves_it():
    soon = (datetime.now(UTC) + timedelta(seconds=30)).isoformat(timespec="milliseconds")
    spent = _answer(200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": soon})
    assert 29 < ADAPTER.seconds_to_wait(spent) <= 30.1
    left = _answer(200, {"X-RateLimit-Remaining": "12", "X-RateLimit-Reset": soon})
    assert ADAPTER.seconds_to_wait(left) == 0
    assert 29 < ADAPTER.retry_wait(_answer(429, {"X-RateLimit-Reset": soon})) <= 30.1
    assert ADAPTER.retry_wait(_answer(429, {})) == 60  # no moment given: the whole window
    assert ADAPTER.retry_wait(_answer(500, {"X-RateLimit-Reset": soon})) is None


def test_spent_refresh_token_marks_the_integration_unhealthy(connected):
    connected.sandbox.revoke_all_tokens()
    connected.sandbox.expire_access_tokens()
    with pytest.raises(Exception) as raised:
        connected.import_department()
    error = raised.value
    while error is not None and not isinstance(error, ReconnectRequired):
        error = error.__cause__ or error.__context__
    assert isinstance(error, ReconnectRequired)
    info = connected.control.integration_info(connected.integration_id)
    assert info.health == "token_expired" and "reconnect" in (info.health_reason or "")
