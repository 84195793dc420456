"""Horus end to end against two emulated installations over real HTTP (a fiduciary's and an SMB's,
each at its own address, both connected in one organisation): OAuth consent, discovery of
folders, full imports, a book year re-read with a change and a deletion, and what goes wrong: an
expired token, a 429, a malformed page, a revoked consent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest
import requests

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.horus import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.horus import SANDBOX, HorusSandbox, create_app
from monitr_sandbox.horus.tokens import OAuthError
from monitr_sandbox.server import EmulatorServer

_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
BAKERY, GARAGE, TECHNICS = 101, 102, 201  # two fiduciary folders, one of the SMB's
OPEN_YEAR, CLOSED_YEAR = 2026, 2025


@dataclass
class Installation:
    sandbox: HorusSandbox
    url: str
    integration_id: int


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    organisation_id: int
    installations: dict[str, Installation]

    def at(self, folder: int) -> Installation:
        return self.installations["fiduciary" if folder < 200 else "smb"]

    def import_folder(self, folder: int):
        """One import of the folder, as the engine runs it (no Dagster): the dlt load info."""
        installation = self.at(folder)
        external_id = str(folder)
        run = ImportRunContext(EntityContext(self.organisation_id, folder, external_id,
                                             f"horus-{folder}", external_id))
        client = entity_client(ADAPTER, installation.url, external_id,
                               self.control.credential_store(installation.integration_id),
                               label=external_id)
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        pipeline.run(provider_source(ADAPTER, run, client))
        return run

    def query(self, sql: str, *args) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql, args).fetchall()


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    """Both installations served at their own addresses and connected through the real consent
    (as the sandbox organisation connects them), in one organisation."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("horus") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        organisation_id = control.ensure_organisation("demo", "Demo")
        installations = {}
        with EmulatorServer(create_app(fiduciary := HorusSandbox("fiduciary"))) as one, \
                EmulatorServer(create_app(smb := HorusSandbox("smb"))) as two:
            for sandbox, server in ((fiduciary, one), (smb, two)):
                integration_id = SANDBOX.connect(control, organisation_id, sandbox.environment,
                                                 server.url, sandbox)
                installations[sandbox.environment] = Installation(sandbox, server.url,
                                                                  integration_id)
            yield Connected(settings, control, organisation_id, installations)


def _ledger_lines(sandbox: HorusSandbox, folder: int) -> list:
    return [line for _, line in sandbox.books(folder).ledger.lines()]


def test_each_installation_discovers_its_own_folders_at_its_own_address(connected):
    found = {key: [a.external_id for a in discover(connected.control, ADAPTER, i.integration_id)]
             for key, i in connected.installations.items()}
    assert found == {"fiduciary": ["101", "102", "103"], "smb": ["201", "202"]}
    integrations = [connected.control.integration(i.integration_id)
                    for i in connected.installations.values()]
    assert {i.organisation_id for i in integrations} == {connected.organisation_id}
    assert [i.base_url for i in integrations] == [i.url for i in connected.installations.values()]
    assert len({i.base_url for i in integrations}) == 2


def test_full_import(connected):
    connected.import_folder(BAKERY)
    sandbox = connected.at(BAKERY).sandbox
    ledger = sandbox.books(BAKERY).ledger
    lines = connected.query("""select count(*), sum(debit - credit) from raw_horus.account_histories
                               where _monitr_entity_id = ?""", BAKERY)
    assert lines == [(len(_ledger_lines(sandbox, BAKERY)), Decimal("0E-9"))]
    unbalanced = connected.query("""select book_entry_id from raw_horus.account_histories
                                    group by 1 having sum(debit - credit) <> 0""")
    assert unbalanced == []
    assert connected.query("select count(*) from raw_horus.book_entries where _monitr_entity_id = ?",
                           BAKERY) == [(len(ledger.entries),)]
    assert connected.query("select count(*) from raw_horus.accounts") == [(len(ledger.accounts),)]
    assert connected.query("select count(*) from raw_horus.periods") == [(2 * 13,)]
    assert connected.query("select id, name, country from raw_horus.folders") == [
        (BAKERY, "Bakkerij Peeters BV", "BE")]
    analytics = connected.query("""select count(*) from raw_horus.analytic_accounts
                                   where _monitr_entity_id = ?""", BAKERY)[0][0]
    assert analytics == len(ledger.cost_centres) + len(ledger.cost_units) + len(ledger.projects)
    # Every line's cost centre arrived in a slot of its plan.
    booked = sum(1 for line in _ledger_lines(sandbox, BAKERY) if line.cost_centre)
    slotted = connected.query("""select count(*) from raw_horus.account_histories
                                 where 'KP' in (analytic1_plan, analytic2_plan, analytic3_plan)""")
    assert slotted == [(booked,)] and booked > 0
    opening = connected.query("""select count(*) from raw_horus.book_entries
                                 where journal_type = 'opening' and period = 0""")[0][0]
    assert opening == sum(e.entry_type == "opening" for e in ledger.entries.values()) > 0


def test_a_folder_without_analytics_skips_them_and_loads_the_rest(connected):
    run = connected.import_folder(GARAGE)
    assert "analytic_accounts" in run.unreadable and "403" in run.unreadable["analytic_accounts"]
    lines = connected.query("""select count(*), sum(debit - credit) from raw_horus.account_histories
                               where _monitr_entity_id = ?""", GARAGE)
    assert lines == [(len(_ledger_lines(connected.at(GARAGE).sandbox, GARAGE)), Decimal("0E-9"))]


def test_two_installations_load_side_by_side_in_one_organisation(connected):
    connected.import_folder(TECHNICS)
    per_entity = dict(connected.query("""select _monitr_entity_id, count(*)
                                         from raw_horus.account_histories group by 1"""))
    assert per_entity[TECHNICS] == len(_ledger_lines(connected.at(TECHNICS).sandbox, TECHNICS))
    assert per_entity[BAKERY] == len(_ledger_lines(connected.at(BAKERY).sandbox, BAKERY))
    organisations = connected.query("select distinct _monitr_organisation_id from raw_horus.folders")
    assert organisations == [(connected.organisation_id,)]


def test_the_open_year_is_read_again_with_its_change_and_its_deletion(connected):
    sandbox = connected.at(BAKERY).sandbox
    books = sandbox.books(BAKERY)
    before = {str(line.id) for line in _ledger_lines(sandbox, BAKERY)}
    sandbox.advance_to_day(sandbox.day + 1)
    sandbox.request_log.clear()
    connected.import_folder(BAKERY)

    reads = [q for _, path, q in sandbox.request_log if path.endswith("/accounthistories")]
    assert reads and all(f"bookyearId={BAKERY}{OPEN_YEAR}" in q for q in reads)  # closed: kept
    after = {str(line.id) for line in _ledger_lines(sandbox, BAKERY)}
    deleted, added = before - after, after - before
    assert deleted and added
    loaded = {row[0] for row in connected.query(
        "select id from raw_horus.account_histories where _monitr_entity_id = ?", BAKERY)}
    assert loaded == after
    # The corrected line carries its new description and analytical account.
    [changed] = [line for _, line in books.ledger.lines()
                 if books.modified.get(line.id) and "gecorrigeerd" in line.description]
    assert connected.query("""select description, analytic1_code from raw_horus.account_histories
                              where id = ?""", str(changed.id)) == [
        (changed.description, changed.cost_centre)]
    assert connected.query("""select count(*), sum(debit - credit) from raw_horus.account_histories
                              where _monitr_entity_id = ? and bookyear_id = ?""",
                           BAKERY, BAKERY * 10000 + CLOSED_YEAR)[0][0] > 0


def test_an_expired_token_is_refreshed_and_the_rotated_refresh_token_kept(connected):
    installation = connected.at(BAKERY)
    store = connected.control.credential_store(installation.integration_id)
    refresh_before = store.load()["token"]["refresh_token"]
    installation.sandbox.expire_access_tokens()
    connected.import_folder(BAKERY)
    refresh_after = store.load()["token"]["refresh_token"]
    assert refresh_after != refresh_before  # rotated at Horus and saved at once
    # The used refresh token is void at Horus: only the kept one works.
    with pytest.raises(OAuthError, match="invalid_grant"):
        installation.sandbox.tokens.refresh(refresh_before)


def test_a_429_is_waited_for(connected):
    sandbox = connected.at(BAKERY).sandbox
    sandbox.inject_fault(r"/accounthistories", 429, headers={"Retry-After": "0"})
    connected.import_folder(BAKERY)
    assert sandbox.faults.take("/accounthistories") is None  # it was served and used
    sandbox.faults.clear()


def _raw_counts(connected) -> list[tuple]:
    return connected.query("""select (select count(*) from raw_horus.account_histories),
                                     (select count(*) from raw_horus.book_entries)""")


def test_a_record_without_a_required_field_names_it_and_loads_nothing(connected):
    sandbox = connected.at(BAKERY).sandbox
    counts = _raw_counts(connected)

    def drop_debit(body):
        body["data"][3].pop("debit")
        return body

    sandbox.inject_fault(r"/accounthistories\?.*page=2", None, edit=drop_debit)
    with pytest.raises(Exception) as raised:
        connected.import_folder(BAKERY)
    message = _chain(raised.value)
    assert "account_histories record" in message and "'debit'" in message and "101" in message
    assert _raw_counts(connected) == counts
    sandbox.faults.clear()


def test_a_page_that_is_not_json_is_named_and_loads_nothing(connected):
    sandbox = connected.at(BAKERY).sandbox
    counts = _raw_counts(connected)
    sandbox.inject_fault(r"/bookentries", 200, body='{"data": [{"id": ')
    with pytest.raises(Exception) as raised:
        connected.import_folder(BAKERY)
    assert "is malformed" in _chain(raised.value) and "bookentries" in _chain(raised.value)
    assert _raw_counts(connected) == counts
    sandbox.faults.clear()


def test_a_revoked_consent_marks_the_integration_and_stops(connected):
    installation = connected.at(TECHNICS)
    installation.sandbox.revoke_all_tokens()
    with pytest.raises(Exception) as raised:
        connected.import_folder(TECHNICS)
    assert isinstance(_root(raised.value, ReconnectRequired), ReconnectRequired)
    info = connected.control.integration_info(installation.integration_id)
    assert info.health == "token_expired"
    # The other installation's consent is its own: it still imports.
    assert connected.control.integration_info(
        connected.at(BAKERY).integration_id).health == "healthy"
    connected.import_folder(BAKERY)


def _root(error: BaseException, kind: type) -> BaseException | None:
    while error is not None:
        if isinstance(error, kind):
            return error
        error = error.__cause__ or error.__context__
    return None


def _chain(error: BaseException) -> str:
    texts = []
    while error is not None:
        texts.append(str(error))
        error = error.__cause__ or error.__context__
    return " | ".join(texts)



@pytest.mark.parametrize(("years", "read_before", "windows"), [
    # The first import: every year, the closed one under its closed name.
    ({2025: True, 2026: False}, [], ["10125/closed", "10126"]),
    # Later: the open year only; the closed one keeps its rows.
    ({2025: True, 2026: False}, ["10125/closed", "10126"], ["10126"]),
    # 2026 closed since it was read: read once more as it was read (open), then marked done.
    ({2025: True, 2026: True, 2027: False}, ["10125/closed", "10126"],
     ["10126", "10126/closed", "10127"]),
    ({2025: True, 2026: True, 2027: False}, ["10125/closed", "10126", "10126/closed", "10127"],
     ["10127"]),
])
def test_book_year_windows(years, read_before, windows):
    run = ImportRunContext(EntityContext(1, 1, "101", "horus-101", "101"))
    run.provider_state["horus_bookyears"] = [{"id": 100 * 101 + year % 100, "closed": closed}
                                             for year, closed in years.items()]
    endpoint = ADAPTER.spec.endpoint("account_histories")
    assert ADAPTER.bookyear_windows(None, endpoint, read_before, run, {}) == windows


def test_a_folder_gone_from_the_login_is_told_apart_from_a_module_not_used(connected):
    sandbox = connected.at(103).sandbox
    sandbox.remove_administration(103)
    try:
        with pytest.raises(Exception) as raised:
            connected.import_folder(103)
        error = _root(raised.value, ProviderError)
        assert error is not None and error.status == 404
        assert ADAPTER.administration_gone(error)
    finally:
        sandbox.restore_administration(103)
    module = ProviderError("", status=403, reason="Forbidden: Analytical accounting is not active "
                                                  "in folder 102.")
    assert not ADAPTER.administration_gone(module) and ADAPTER.endpoint_unreadable(module)


def _response(status: int, body: str = "", **headers: str) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, body.encode()
    response.headers.update(headers)
    return response


def test_error_reasons_and_quota_waits():
    problem = _response(404, '{"type": "x", "title": "Folder not found", "status": 404, '
                             '"detail": "Folder 9 was not found."}')
    assert ADAPTER.error_reason(problem) == "Folder not found: Folder 9 was not found."
    token = _response(400, '{"error": "invalid_grant", "error_description": "expired"}')
    assert ADAPTER.error_reason(token) == "invalid_grant: expired"
    assert ADAPTER.error_reason(_response(502, "<html>Bad gateway</html>")) == "<html>Bad gateway</html>"
    spent = _response(200, "{}", **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "17"})
    assert ADAPTER.seconds_to_wait(spent) == 17.0
    assert ADAPTER.seconds_to_wait(_response(200, "{}", **{"X-RateLimit-Remaining": "5"})) == 0.0


def test_the_address_is_the_integrations_own():
    assert ADAPTER.base_url(None, "https://horus.example.be/") == "https://horus.example.be"
    with pytest.raises(ValueError, match="no single address"):
        ADAPTER.base_url(None, None)
