"""Twinfield end to end against its emulator over real HTTP: OAuth consent, discovery through the
cluster the token validation names, full and incremental imports (a change is a reversal in an
open period), and what goes wrong: an expired token, a SOAP fault, result="0" inside a 200, an
unreadable page, a 429."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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
from monitr_pipeline.settings import Settings
from monitr_pipeline.providers.twinfield import ADAPTER
from monitr_sandbox.oauth import SANDBOX_REDIRECT_URI
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.twinfield import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    TwinfieldSandbox,
    create_login_app,
)

OFFICE = "NLA000101"
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: TwinfieldSandbox
    login: str
    integration_id: int
    offices: list

    def import_office(self, office: str = OFFICE):
        """One import of the office, as the engine runs it (no Dagster): the dlt load info."""
        run = ImportRunContext(EntityContext(1, 1, office, f"twinfield-{office}", office))
        client = entity_client(ADAPTER, self.login, office,
                               self.control.credential_store(self.integration_id), label=office)
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        return pipeline.run(provider_source(ADAPTER, run, client))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    """One organisation's login host and cluster, connected through the real OAuth consent."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("twinfield") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = TwinfieldSandbox("nl")
        with EmulatorServer(create_login_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            start = start_oauth(ADAPTER, server.url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET,
                                SANDBOX_REDIRECT_URI)
            consent = requests.get(start.authorize_url, allow_redirects=False, timeout=10)
            integration_id = complete_oauth(
                control, ADAPTER, organisation_id, name="Twinfield", environment="nl",
                base_url_override=server.url, client_id=SANDBOX_CLIENT_ID,
                client_secret=SANDBOX_CLIENT_SECRET, start=start,
                callback_url=consent.headers["Location"])
            offices = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id, offices)
        sandbox.close()


def test_discovery_lists_the_offices_on_the_organisations_cluster(connected):
    assert [o.external_id for o in connected.offices] == ["NLA000101", "NLA000102", "BEA000103"]
    assert connected.sandbox.cluster_url and connected.sandbox.cluster_url != connected.login


def test_full_import(connected):
    connected.import_office()
    ledger = connected.sandbox.ledger(OFFICE)
    lines = connected.query("select count(*), sum(valuesigned) from raw_twinfield.gl_transaction_lines")
    booked = sum(len(t.lines) for t in connected.sandbox.books(OFFICE).transactions)
    assert lines == [(booked, Decimal("0E-9"))]
    unbalanced = connected.query("""select code, number from raw_twinfield.gl_transaction_lines
                                    group by 1, 2 having sum(valuesigned) <> 0""")
    assert unbalanced == []
    accounts = connected.query("select dimtype, count(*) from raw_twinfield.accounts group by 1 order by 1")
    assert accounts == [("BAS", sum(a.balance_type == "B" for a in ledger.accounts)),
                        ("PNL", sum(a.balance_type == "W" for a in ledger.accounts))]
    assert connected.query("select code, land from raw_twinfield.offices") == [(OFFICE, "NL")]
    for table, count in (("cost_centres", len(ledger.cost_centres)), ("projects", len(ledger.projects)),
                         ("fixed_assets", len(ledger.fixed_assets))):
        assert connected.query(f"select count(*) from raw_twinfield.{table}") == [(count,)], table
    open_amount = connected.query("""select sum(openbasevaluesigned) from raw_twinfield.customer_transactions
                                     where matchstatus = 'available'""")[0][0]
    assert open_amount == sum(i.amount for i in ledger.open_items if i.kind == "receivable")


def test_incremental_import_sees_a_change_as_a_reversal(connected):
    sandbox = connected.sandbox
    books = sandbox.books(OFFICE)
    before = len(books.transactions)
    sandbox.advance_to_day(sandbox.day + 1)
    sandbox.request_log.clear()
    connected.import_office()
    reads = [q for _, _, q in sandbox.request_log if "code=030_3" in q]
    assert reads and all("yearperiod=2026/" in q for q in reads)  # open periods only
    new = books.transactions[before:]
    assert any(t.reversal for t in new)
    total = connected.query("select count(*), sum(valuesigned) from raw_twinfield.gl_transaction_lines")
    assert total == [(sum(len(t.lines) for t in books.transactions), Decimal("0E-9"))]
    # The account balances are the ledger's after the change.
    balances = dict(connected.query("""select dim1, sum(valuesigned) from raw_twinfield.gl_transaction_lines
                                       where year = 2026 and period > 0 group by 1"""))
    ledger = sandbox.ledger(OFFICE)
    expected: dict[str, Decimal] = {}
    for entry, line in ledger.lines():
        if entry.date.year == 2026 and entry.entry_type != "opening":
            expected[line.account_code] = expected.get(line.account_code, Decimal(0)) + line.amount
    assert {k: v for k, v in balances.items() if v} == {k: v for k, v in expected.items() if v}


def test_expired_token_is_refreshed(connected):
    connected.sandbox.expire_access_tokens()
    connected.import_office()  # the fault on the old token, a refresh, the same call again


def _fails(connected, match: str):
    with pytest.raises(Exception) as raised:
        connected.import_office()
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    assert any(match in text for text in chain), chain


def test_soap_fault_fails_the_import_with_its_reason(connected):
    connected.sandbox.inject_fault(r"type=PRD.*company=NLA000101", 500, times=10, body=(
        '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        "<soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Interne fout "
        "bij het lezen van perioden.</faultstring></soap:Fault></soap:Body></soap:Envelope>"))
    _fails(connected, "Interne fout bij het lezen van perioden.")
    # A client fault says the same however often it is asked: sent once, not retried.
    fault = connected.sandbox.faults._faults[0]
    assert fault.remaining == 9
    connected.sandbox.faults.clear()


def test_result_zero_inside_a_200_fails_the_import(connected):
    connected.sandbox.inject_fault(r"code=030_3", None, edit=lambda text: text.replace(
        "&lt;browse result=&quot;1&quot;", "&lt;browse result=&quot;0&quot; msgtype=&quot;error&quot; "
        "msg=&quot;Browse tijdelijk niet beschikbaar.&quot;", 1).replace(
        '&lt;browse result="1"', '&lt;browse result="0" msgtype="error" '
        'msg="Browse tijdelijk niet beschikbaar."', 1))
    _fails(connected, "Browse tijdelijk niet beschikbaar.")
    connected.sandbox.faults.clear()


def test_malformed_page_is_named(connected):
    connected.sandbox.inject_fault(r"type=DIM&dimtype=KPL", None,
                                   edit=lambda text: text[: len(text) // 2])
    _fails(connected, "is malformed")
    connected.sandbox.faults.clear()


def test_429_is_waited_for(connected):
    connected.sandbox.inject_fault(r"code=030_3", 429, headers={"Retry-After": "0"})
    connected.import_office()
    assert connected.sandbox.faults.take("code=030_3") is None  # it was served and used
