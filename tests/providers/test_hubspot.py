"""HubSpot end to end against its emulator over real HTTP: the install (consent) of each portal,
discovery through token info, a full import, incremental re-imports (a change, an archived deal
deleted, no duplicates), search windows past the result cap (ties included), and what goes
wrong: an expired and a revoked token, the rate limit (headers and a 429), malformed pages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.rules import ConnectionRuleError
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion import http
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.hubspot import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.hubspot import PORTALS, HubSpotSandbox, create_app
from monitr_sandbox.hubspot.deals import IMPORT_AT, iso
from monitr_sandbox.hubspot.provider import connect_portal
from monitr_sandbox.organisation import assign_beside_entities
from monitr_sandbox.server import EmulatorServer

PORTAL = PORTALS[0]
HUB_ID = str(PORTAL.hub_id)
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: HubSpotSandbox
    url: str
    integration_id: int
    administrations: list

    def import_portal(self, partition: str = "hubspot-a"):
        """One import of the portal, as the engine runs it (no Dagster)."""
        run = ImportRunContext(EntityContext(1, 1, HUB_ID, partition, "Verhoeven"))
        client = entity_client(ADAPTER, self.url, HUB_ID,
                               self.control.credential_store(self.integration_id),
                               label=str(run.entity))
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        return pipeline.run(provider_source(ADAPTER, run, client))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def deals(self) -> dict[str, tuple]:
        return {row[0]: row[1:] for row in self.query(
            "select id, dealstage, amount, hs_lastmodifieddate from raw_hubspot.deals")}

    def expected(self) -> dict[str, tuple]:
        book = self.sandbox.book(PORTAL.hub_id)
        return {str(d.id): (d.stage, d.amount, d.modified) for d in book.live()}


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("hubspot") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = HubSpotSandbox(ten_secondly=1000, search_secondly=1000)
        # No spacing of search calls in tests (the rate-limit tests set their own).
        patch.setattr(ADAPTER, "search_interval", 0.0)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = connect_portal(control, organisation_id, server.url, "portal_a")
            administrations = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id,
                            administrations)


def test_discovery_names_the_installs_portal(connected):
    assert [(a.external_id, a.name, a.currency) for a in connected.administrations] == [
        (HUB_ID, "Installatiebedrijf Verhoeven B.V.", "EUR")]
    other = connect_portal(connected.control, 1, connected.url, "portal_b")
    assert [(a.external_id, a.name) for a in discover(connected.control, ADAPTER, other)] == [
        (str(PORTALS[1].hub_id), "Banketbakkerij Smit B.V.")]


def test_discovery_with_a_token_hubspot_no_longer_knows_refreshes_once(connected):
    before = connected.control.load_credentials(connected.integration_id)["token"]
    connected.sandbox.expire_access_tokens()  # expired early: our clock still calls it fresh
    found = discover(connected.control, ADAPTER, connected.integration_id)
    assert [a.external_id for a in found] == [HUB_ID]
    after = connected.control.load_credentials(connected.integration_id)["token"]
    assert after["access_token"] != before["access_token"]


def test_the_portal_joins_the_entity_of_its_name(connected):
    """A CRM portal makes no entity of its own: it joins the entity whose accounting is imported
    (as the sandbox organisation assigns it: by name)."""
    control, organisation_id = connected.control, 1
    with pytest.raises(ConnectionRuleError):
        control.connect_entity(connected.integration_id, HUB_ID, PORTAL.name, "crm")
    accounting = control.create_integration(organisation_id, "odoo", "Odoo", "api_credentials",
                                            credentials={"api_key": "unused"})
    entity = control.connect_entity(accounting, "ODOO-NL-1", PORTAL.name)
    joined = assign_beside_entities(control, ADAPTER, organisation_id, connected.integration_id,
                                    connected.administrations)
    assert [(c.entity_id, c.external_id, c.kind) for c in joined] == [
        (entity.entity_id, HUB_ID, "crm")]


def _modified(expected: dict[str, tuple]) -> dict[str, tuple]:
    return {key: (stage, amount) for key, (stage, amount, _) in expected.items()}


def test_full_import(connected):
    connected.import_portal()
    loaded, expected = connected.deals(), connected.expected()
    assert _modified(loaded) == _modified(expected)
    assert {k: v[2] for k, v in loaded.items()} == {k: v[2] for k, v in expected.items()}
    stages = connected.query("""select id, pipeline_id, metadata_probability, metadata_is_closed
                                from raw_hubspot.deal_stages order by id""")
    assert sorted(stages) == sorted(
        (s.id, p.id, s.probability, str(s.is_closed).lower())
        for p in PORTAL.pipelines for s in p.stages)
    assert connected.query("select id, label from raw_hubspot.deal_pipelines order by 1") == \
        sorted((p.id, p.label) for p in PORTAL.pipelines)
    assert connected.query("select portal_id, company_currency from raw_hubspot.account_details"
                           ) == [(PORTAL.hub_id, "EUR")]
    archived = connected.sandbox.book(PORTAL.hub_id).archived()
    assert archived and connected.query("select count(*) from raw_hubspot.archived_deals") == [
        (len(archived),)]


def test_reimport_with_changes_and_an_archived_deal(connected):
    sandbox = connected.sandbox
    before = connected.expected()
    sandbox.advance_to_day(sandbox.day + 1)
    sandbox.request_log.clear()
    connected.import_portal()
    # The search asked from the last import's greatest hs_lastmodifieddate on, not from scratch.
    searches = [entry for entry in sandbox.request_log if entry[1].endswith("/search")]
    assert len(searches) == 1
    loaded, expected = connected.deals(), connected.expected()
    assert loaded.keys() == expected.keys()  # the archived deal is gone, new deals are in
    assert _modified(loaded) == _modified(expected)
    gone = before.keys() - expected.keys()
    assert len(gone) == 1 and not gone & loaded.keys()
    changed = {k for k in expected.keys() & before.keys() if expected[k] != before[k]}
    assert len(changed) == 3
    duplicates = connected.query("select count(*) - count(distinct id) from raw_hubspot.deals")
    assert duplicates == [(0,)]


def test_search_windows_past_the_result_cap_and_a_tied_millisecond(connected, monkeypatch):
    """A cap below the 14 deals imported in one millisecond: windows continue from the last
    timestamp seen, and that millisecond is read on its own by id; every deal once."""
    connected.sandbox.search_cap = 10
    monkeypatch.setattr(ADAPTER, "search_cap", 10)
    connected.sandbox.request_log.clear()
    try:
        connected.import_portal(partition="hubspot-a-capped")
    finally:
        connected.sandbox.search_cap = 10_000
    searches = [e for e in connected.sandbox.request_log if e[1].endswith("/search")]
    assert len(searches) > len(connected.expected()) // 10
    loaded = connected.query("""select id, hs_lastmodifieddate from raw_hubspot.deals""")
    assert len(loaded) == len({row[0] for row in loaded})
    assert {row[0] for row in loaded} == connected.expected().keys()
    tied = [row for row in loaded if iso(row[1]) == iso(IMPORT_AT)]
    assert len(tied) > 10


def test_search_answers_that_ignore_their_filters_are_refused(connected, monkeypatch):
    """Windows must move on: an answer that is the same whatever is asked fails the import
    (naming the entity) rather than asking forever."""
    monkeypatch.setattr(ADAPTER, "search_cap", 10)
    first: list = []

    def same_answer(answer):
        first.append(first[0] if first else {**answer, "paging": {"next": {"after": "10"}}})
        return first[0]

    connected.sandbox.inject_fault(r"/search", None, times=50, edit=same_answer)
    try:
        failure = _failure(connected)
    finally:
        connected.sandbox.faults.clear()
    assert "Verhoeven" in failure and "no progress" in failure, failure
    assert len(first) < 50  # stopped on its own, long before the edited answers ran out


def test_expired_access_token_is_refreshed(connected):
    before = connected.control.load_credentials(connected.integration_id)["token"]
    connected.sandbox.expire_access_tokens()
    connected.import_portal()
    after = connected.control.load_credentials(connected.integration_id)["token"]
    assert after["access_token"] != before["access_token"]
    assert after["refresh_token"] == before["refresh_token"]  # HubSpot's do not rotate


def _failure(connected) -> str:
    with pytest.raises(Exception) as raised:
        connected.import_portal()
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    return "\n".join(chain)


def _loaded(connected) -> list[tuple]:
    return connected.query("select id, amount, hs_lastmodifieddate from raw_hubspot.deals "
                           "order by id")


def test_malformed_page_fails_and_loads_nothing(connected):
    connected.sandbox.advance_to_day(connected.sandbox.day + 1)
    before = _loaded(connected)
    connected.sandbox.inject_fault(r"/search", 200, body='{"total": 3, "results": [{"id": ')
    assert "is malformed" in _failure(connected)
    connected.sandbox.faults.clear()
    assert _loaded(connected) == before


def test_a_bad_value_names_entity_record_and_field(connected):
    before = _loaded(connected)
    bad: list[str] = []

    def corrupt(answer):
        answer["results"][1]["properties"]["amount"] = "veel geld"
        bad.append(answer["results"][1]["id"])
        return answer

    connected.sandbox.inject_fault(r"/search", None, edit=corrupt)
    failure = _failure(connected)
    connected.sandbox.faults.clear()
    assert "Verhoeven" in failure and "'amount'" in failure and bad[0] in failure, failure
    assert _loaded(connected) == before
    connected.import_portal()  # corrected at HubSpot: the next import reads it
    assert connected.deals().keys() == connected.expected().keys()


def test_429_waits_its_retry_after_and_says_so(connected, monkeypatch, caplog):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    connected.sandbox.inject_fault(r"/crm/v3/pipelines/deals", 429,
                                   headers={"Retry-After": "7"})
    # Search's own per-second limit: its 429 carries no rate-limit headers, only Retry-After.
    connected.sandbox.inject_fault(r"/search", 429, headers={"Retry-After": "1"})
    with caplog.at_level(logging.INFO, logger=http.__name__):
        connected.import_portal()
    assert 7.0 in waits and 1.0 in waits
    assert connected.deals().keys() == connected.expected().keys()
    assert any("Verhoeven" in m and "429" in m and "7 s" in m for m in caplog.messages), \
        caplog.messages


def test_a_spent_window_pauses_before_the_next_call(connected, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    connected.sandbox.inject_fault(r"/account-info/v3/details", None, headers={
        "X-HubSpot-RateLimit-Remaining": "0", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
        "X-HubSpot-RateLimit-Max": "110"})
    connected.import_portal()
    assert 10.0 in waits


def test_searches_are_spaced(connected, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    monkeypatch.setattr(ADAPTER, "search_interval", 0.25)
    monkeypatch.setattr(ADAPTER, "search_cap", 40)
    connected.import_portal(partition="hubspot-a-spaced")
    assert waits and all(0 < w <= 0.25 for w in waits)


def test_revoked_refresh_token_marks_the_integration_unhealthy(connected):
    connected.sandbox.revoke_all_tokens()
    connected.sandbox.expire_access_tokens()
    with pytest.raises(Exception) as raised:
        connected.import_portal()
    error = raised.value
    while error is not None and not isinstance(error, ReconnectRequired):
        error = error.__cause__ or error.__context__
    assert isinstance(error, ReconnectRequired)
    info = connected.control.integration_info(connected.integration_id)
    assert info.health == "token_expired" and "reconnect" in (info.health_reason or "")


def test_amounts_are_decimals(connected):
    amounts = connected.query("select amount from raw_hubspot.deals limit 3")
    assert all(isinstance(a, Decimal) for (a,) in amounts)


def _answer(status: int, body: dict, headers: dict | None = None):
    import json

    import requests

    response = requests.Response()
    response.status_code, response._content = status, json.dumps(body).encode()
    response.headers.update(headers or {})
    return response


def test_a_429_without_retry_after_waits_the_window_its_policy_names():
    ten = _answer(429, {"status": "error", "policyName": "TEN_SECONDLY_ROLLING",
                        "errorType": "RATE_LIMIT", "message": "You have reached your limit."})
    assert ADAPTER.retry_wait(ten) == 10.0
    assert ADAPTER.retry_wait(_answer(429, {"policyName": "SECONDLY"})) == 1.0
    assert ADAPTER.retry_wait(_answer(500, {})) is None
    assert ADAPTER.error_reason(_answer(403, {
        "status": "error", "message": "This app hasn't been granted all required scopes.",
        "category": "MISSING_SCOPES"})) == \
        "This app hasn't been granted all required scopes. (MISSING_SCOPES)"
