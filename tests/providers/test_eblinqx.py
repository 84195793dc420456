"""eBlinqx Fiscaal end to end against its emulator over real HTTP: the API key checked and
stored, discovery of the account's companies with the Monitr entity each is linked to, selection
that joins a linked company without asking and links the others (POST /companies), a full
import, a re-import with a change and a deletion, and what goes wrong: a refused key (the
integration unhealthy, with the steps to reconnect), a 429, a malformed page, a bad value, a
company no longer of the account."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.connections import lifecycle
from monitr_pipeline.connections.connect import discover
from monitr_pipeline.connections.health import check_integration, reconnect_steps
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.entity_import import EntityImport, IntegrationNeedsAction, root_cause
from monitr_pipeline.ingestion import http
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.eblinqx import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.eblinqx import EBlinqxSandbox, create_app
from monitr_sandbox.eblinqx.provider import connect_with_api_key
from monitr_sandbox.server import EmulatorServer

SMIT, VASTGOED, VISSER = "Installatiebedrijf Smit BV", "Smit Vastgoed B.V.", "Studio Visser Ontwerp"
DE_WIT = "Bakkerij De Wit V.O.F."
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
_FIGURES = ("balanceSheetTotal", "equity", "revenue", "resultBeforeTax", "resultAfterTax")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: EBlinqxSandbox
    url: str
    organisation_id: int
    integration_id: int
    entities: dict[str, int]  # entity name -> id (made by an accounting integration)

    def company_id(self, name: str) -> str:
        return self.sandbox.company_named(name).company_id

    def connection(self, name: str) -> ConnectionInfo:
        return next(c for c in self.control.connections("eblinqx") if c.external_name == name)

    def import_company(self, name: str) -> None:
        """One import of the company's connection, as the engine runs it (no Dagster); a failure
        is recorded in the control plane as a run would record it."""
        job = EntityImport(self.settings, self.control, ADAPTER, self.connection(name))
        job.ensure_importable()
        try:
            job.pipeline().run(job.source(job.run_context()))
        except Exception as exc:
            job.record_failure(exc)
            raise

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def loaded(self, name: str) -> dict[str, tuple]:
        entity_id = self.entities[name]
        return {row[0]: row[1:] for row in self.query(f"""
            select id, fiscal_year, status, balance_sheet_total, equity, revenue,
                   result_before_tax, result_after_tax, prepared_date, adoption_date, filing_date
            from raw_eblinqx.annual_accounts where _monitr_entity_id = {entity_id}""")}


def expected(sandbox: EBlinqxSandbox, name: str) -> dict[str, tuple]:
    """The emulator's own annual accounts of a company, as the raw table should hold them."""
    from datetime import date

    def day(text):
        return date.fromisoformat(text) if text else None

    return {a["id"]: (a["fiscalYear"], a["status"], *(Decimal(a[f]) for f in _FIGURES),
                      day(a["preparedDate"]), day(a["adoptionDate"]), day(a["filingDate"]))
            for a in sandbox.company_named(name).annual_accounts()}


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    with pytest.MonkeyPatch.context() as patch:
        for variable in _VARIABLES:
            patch.delenv(variable, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("eblinqx") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = EBlinqxSandbox(rate_limit=1000)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            # The entities the annual accounts sit beside, made by their accounting platform.
            accounting = control.create_integration(organisation_id, "exact_online", "Exact",
                                                    "oauth2", credentials={"token": {}},
                                                    environment="nl")
            entities = {name: control.connect_entity(accounting, str(n), name).entity_id
                        for n, name in enumerate((SMIT, VASTGOED, VISSER))}
            # The accountant linked Smit Vastgoed in eBlinqx Fiscaal before Monitr connected.
            sandbox.link(sandbox.company_named(VASTGOED).company_id,
                         control.entity_reference(entities[VASTGOED]))
            integration_id = connect_with_api_key(control, organisation_id, "default",
                                                  server.url, sandbox.api_key)
            yield Connected(settings, control, sandbox, server.url, organisation_id,
                            integration_id, entities)


def test_a_refused_key_is_never_stored(connected):
    with pytest.raises(lifecycle.CredentialsRejected, match="no API key"):
        connect_with_api_key(connected.control, connected.organisation_id, "default",
                             connected.url, "")
    with pytest.raises(lifecycle.CredentialsRejected) as refused:
        connect_with_api_key(connected.control, connected.organisation_id, "default",
                             connected.url, "fqx_not-a-key")
    assert "Ongeldige of ontbrekende API key" in str(refused.value)
    assert "fqx_not-a-key" not in str(refused.value)
    assert [i.integration_id for i in connected.control.integrations(connected.organisation_id)
            if i.provider == "eblinqx"] == [connected.integration_id]
    stored = connected.control.load_credentials(connected.integration_id)
    assert stored == {"api_key": connected.sandbox.api_key}


def test_discovery_reports_the_entity_each_company_is_linked_to(connected):
    from flask import request

    headers: list[dict] = []
    connected.sandbox.inject_fault(r"/companies$", None,
                                   action=lambda: headers.append(dict(request.headers)))
    found = {a.name: a for a in discover(connected.control, ADAPTER, connected.integration_id)}
    assert sorted(found) == sorted([SMIT, VASTGOED, VISSER, DE_WIT])
    reference = connected.control.entity_reference(connected.entities[VASTGOED])
    assert {name: a.entity_hint for name, a in found.items()} == {
        SMIT: None, VASTGOED: reference, VISSER: None,
        DE_WIT: "7c9e6679-7425-40de-944b-e07fc1f90ae7"}
    assert {(a.country, a.currency) for a in found.values()} == {("NL", "EUR")}
    [sent] = headers
    assert sent["X-Api-Key"] == connected.sandbox.api_key
    assert sent["Accept-Language"] == "nl-NL"


def test_a_linked_company_joins_its_entity_and_the_others_are_linked(connected):
    control, sandbox = connected.control, connected.sandbox
    [joined] = lifecycle.select(control, ADAPTER, connected.integration_id,
                                [connected.company_id(VASTGOED)])
    assert joined.entity_id == connected.entities[VASTGOED]
    assert not any(method == "POST" for method, _, _ in sandbox.request_log)
    # A company linked to another Monitr client's entity, and one without a link, need a choice.
    with pytest.raises(ValueError, match="needs the entity it belongs to"):
        lifecycle.select(control, ADAPTER, connected.integration_id,
                         [connected.company_id(DE_WIT)])
    for name in (SMIT, VISSER):
        [connection] = lifecycle.select(control, ADAPTER, connected.integration_id,
                                        [connected.company_id(name)],
                                        entity_id=connected.entities[name])
        assert connection.entity_id == connected.entities[name]
        company = sandbox.company_named(name)
        assert company.monitr_client_id == control.entity_reference(connected.entities[name])
    assert sum(method == "POST" for method, _, _ in sandbox.request_log) == 2
    again = {a.name: a.entity_hint for a in discover(control, ADAPTER, connected.integration_id)}
    assert again[SMIT] == control.entity_reference(connected.entities[SMIT])
    assert again[DE_WIT] == "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # never overwritten


def test_full_import_loads_every_year_of_every_company(connected):
    for name in (SMIT, VASTGOED, VISSER):
        connected.import_company(name)
        assert connected.loaded(name) == expected(connected.sandbox, name), name
    companies = connected.query("""select _monitr_entity_id, name, chamber_of_commerce_number,
                                          legal_form_apply_for_annual_account, monitr_client_id
                                   from raw_eblinqx.companies order by 1""")
    assert [(row[0], row[1], row[3]) for row in companies] == [
        (connected.entities[SMIT], SMIT, True), (connected.entities[VASTGOED], VASTGOED, True),
        (connected.entities[VISSER], VISSER, False)]
    assert all(row[4] == connected.control.entity_reference(row[0]) for row in companies)


def test_reimport_with_a_change_and_a_deletion(connected):
    sandbox = connected.sandbox
    concept = next(a for a in sandbox.company_named(VASTGOED).annual_accounts()
                   if a["fiscalYear"] == 2025)
    withdrawn = next(a["id"] for a in sandbox.company_named(VISSER).annual_accounts()
                     if a["fiscalYear"] == 2025)
    sandbox.advance_to_day(3)  # Smit files 2025, Vastgoed adopts it revised, Visser withdraws it
    for name in (SMIT, VASTGOED, VISSER):
        connected.import_company(name)
        assert connected.loaded(name) == expected(sandbox, name), name
    ids = [row[0] for row in connected.query("select id from raw_eblinqx.annual_accounts")]
    assert len(ids) == len(set(ids))
    adopted = connected.loaded(VASTGOED)[concept["id"]]
    assert adopted[1] == "definitief" and adopted[4] != Decimal(concept["revenue"])
    assert withdrawn not in connected.loaded(VISSER)
    assert connected.loaded(SMIT) and {row[1] for row in connected.loaded(SMIT).values()} == {
        "gedeponeerd"}


def test_429_waits_its_retry_after(connected, monkeypatch, caplog):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    connected.sandbox.inject_fault(r"/annual-accounts", 429, headers={"Retry-After": "7"})
    with caplog.at_level(logging.INFO, logger=http.__name__):
        connected.import_company(SMIT)
    assert 7.0 in waits
    assert connected.loaded(SMIT) == expected(connected.sandbox, SMIT)


def _failure(connected, name: str) -> str:
    with pytest.raises(Exception) as raised:
        connected.import_company(name)
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    return "\n".join(chain)


def test_malformed_page_fails_naming_the_entity_and_loads_nothing(connected):
    before = connected.loaded(VASTGOED)
    connected.sandbox.inject_fault(r"/annual-accounts", 200, body='[{"id": "x", "fiscalYear": ',
                                   headers={"Content-Type": "application/json"})
    failure = _failure(connected, VASTGOED)
    connected.sandbox.faults.clear()
    assert VASTGOED in failure and "is malformed" in failure and "annual-accounts" in failure
    assert connected.loaded(VASTGOED) == before


def test_a_bad_value_names_entity_record_and_field(connected):
    before = connected.loaded(VASTGOED)
    record = {}

    def corrupt(accounts):
        record.update(accounts[1])
        accounts[1]["equity"] = "1.970.137,00 EUR"
        return accounts

    connected.sandbox.inject_fault(r"/annual-accounts", None, edit=corrupt)
    failure = _failure(connected, VASTGOED)
    connected.sandbox.faults.clear()
    assert VASTGOED in failure and record["id"] in failure and "'equity'" in failure, failure
    assert connected.loaded(VASTGOED) == before


def test_a_company_no_longer_of_the_account_is_an_administration_gone(connected):
    company_id = connected.company_id(VISSER)
    connected.sandbox.remove_administration(company_id)
    try:
        with pytest.raises(Exception) as raised:
            connected.import_company(VISSER)
        cause = root_cause(raised.value)
        assert isinstance(cause, ProviderError) and cause.status == 404
        assert ADAPTER.administration_gone(cause) and "niet gevonden" in cause.reason
    finally:
        connected.sandbox.restore_administration(company_id)
        connected.control.set_connection_found(connected.connection(VISSER).connection_id, True)
        connected.control.set_health(connected.integration_id, "healthy")


def test_a_deleted_key_makes_the_integration_unhealthy_until_a_new_one_is_entered(connected):
    control, sandbox = connected.control, connected.sandbox
    old = sandbox.api_key
    sandbox.revoke_api_key()
    failure = _failure(connected, SMIT)
    assert "401" in failure and old not in failure
    info = control.integration_info(connected.integration_id)
    assert info.health == "credentials_rejected", info
    assert "Ongeldige of ontbrekende API key" in info.health_reason
    steps = reconnect_steps(info)
    assert "Create a new API key in eBlinqx Fiscaal" in steps
    assert f"monitr integrations reconnect {connected.integration_id}" in steps
    # Imports now fail at once, with those steps, without asking eBlinqx.
    asked = len(sandbox.request_log)
    with pytest.raises(IntegrationNeedsAction, match="reconnect"):
        connected.import_company(SMIT)
    assert len(sandbox.request_log) == asked
    assert check_integration(control, connected.integration_id).health == "credentials_rejected"
    # The user makes a new key and enters it (monitr integrations reconnect).
    lifecycle.connect_with_credentials(control, ADAPTER, connected.organisation_id,
                                       environment="default", base_url_override=connected.url,
                                       credentials={"api_key": sandbox.issue_api_key()},
                                       integration_id=connected.integration_id)
    assert control.integration_info(connected.integration_id).health == "healthy"
    connected.import_company(SMIT)
    assert connected.loaded(SMIT) == expected(sandbox, SMIT)
