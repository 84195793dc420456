"""Nmbrs end to end against its emulator over real HTTP: the accountant's consent (our app's
subscription key kept beside the tokens), discovery of the login's companies, a full import,
a re-import with a raise, a department move and a removed employment, and what goes wrong: an
expired token, a 429, a malformed page and a malformed salary (named, never shown)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion import http
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.nmbrs import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.nmbrs import SANDBOX_SUBSCRIPTION_KEY, NmbrsSandbox, create_app
from monitr_sandbox.nmbrs.provider import connect_login
from monitr_sandbox.server import EmulatorServer

COMPANY = "Koffiebranderij Van Dijk B.V."
HISTORIES = ("employments", "contracts", "schedules", "salaries", "departments")
_KEYS = {"employments": "employment_id", "contracts": "contract_id",
         "schedules": "schedule_id", "salaries": "salary_id",
         "departments": "department_record_key"}
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: NmbrsSandbox
    url: str
    integration_id: int
    administrations: list

    @property
    def company(self):
        return self.sandbox.company_named(COMPANY)

    def import_company(self):
        """One import of the company, as the engine runs it (no Dagster)."""
        company_id = self.company.company_id
        run = ImportRunContext(EntityContext(1, 1, company_id, "nmbrs-koffie", "Van Dijk"))
        client = entity_client(ADAPTER, self.url, company_id,
                               self.control.credential_store(self.integration_id),
                               label=str(run.entity))
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        return pipeline.run(provider_source(ADAPTER, run, client))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def keys(self, table: str) -> list[str]:
        return [row[0] for row in self.query(f"select {_KEYS[table]} from raw_nmbrs.{table}")]


def emulator_keys(company, table: str) -> list[str]:
    field = {"employments": "employmentId", "contracts": "contractId",
             "schedules": "scheduleId", "salaries": "salaryId"}.get(table)
    keys = []
    for employee in company.employees:
        for record in employee.history(table):
            keys.append(record[field] if field else
                        f"{employee.employee_id}:{record['period']['year']}-"
                        f"{record['period']['period']}")
    return keys


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("nmbrs") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = NmbrsSandbox(rate_limit=1000)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = connect_login(control, organisation_id, server.url)
            administrations = discover(control, ADAPTER, integration_id)
            yield Connected(settings, control, sandbox, server.url, integration_id,
                            administrations)


def test_consent_keeps_the_subscription_key_and_discovery_lists_the_companies(connected):
    credentials = connected.control.load_credentials(connected.integration_id)
    assert credentials["subscription_key"] == SANDBOX_SUBSCRIPTION_KEY
    assert sorted((a.name, a.country, a.currency) for a in connected.administrations) == [
        ("Banketbakkerij Smit B.V.", "NL", "EUR"), ("Fietsenmakerij De Boer", "NL", "EUR"),
        ("Koffiebranderij Van Dijk B.V.", "NL", "EUR")]


def test_full_import_loads_every_history_and_no_personal_details(connected):
    connected.import_company()
    company = connected.company
    assert connected.query("select company_id, name from raw_nmbrs.companies") == [
        (company.company_id, COMPANY)]
    assert sorted(r[0] for r in connected.query("select employee_id from raw_nmbrs.employees")) \
        == sorted(e.employee_id for e in company.employees)
    for table in HISTORIES:
        assert sorted(connected.keys(table)) == sorted(emulator_keys(company, table)), table
    salaries = dict(connected.query("select salary_id, value from raw_nmbrs.salaries"))
    assert salaries == {s["salaryId"]: Decimal(str(s["value"])).quantize(Decimal("1e-9"))
                        for e in company.employees for s in e.salaries}
    # No employee's name, initials, birth date, address or number was loaded (only the
    # company list's own name and number).
    personal = connected.query("""
        select table_name, column_name from information_schema.columns
        where table_schema = 'raw_nmbrs' and table_name not in ('companies')
          and table_name not like '_dlt%'
          and regexp_matches(column_name, 'name|initial|birth|address|number|prefix')""")
    assert personal == []


def test_reimport_with_a_raise_a_move_and_a_removed_employment(connected):
    before = set(connected.keys("employments"))
    connected.sandbox.advance_to_day(1)
    connected.import_company()
    company = connected.company
    for table in HISTORIES:
        keys = connected.keys(table)
        assert len(keys) == len(set(keys)), f"{table} has duplicates"
        assert sorted(keys) == sorted(emulator_keys(company, table)), table
    removed = before - set(connected.keys("employments"))
    assert len(removed) == 1  # the re-hire's employment is gone here too
    raise_rows = connected.query("""select count(*) from raw_nmbrs.salaries
                                    where start_date = date '2026-11-01'""")
    assert raise_rows == [(1,)]
    moved = connected.query("""select count(*) from raw_nmbrs.departments
                               where period_year = 2026 and period_period = 11""")
    assert moved == [(1,)]


def test_an_employee_deleted_at_nmbrs_disappears_with_every_history(connected):
    before = {r[0] for r in connected.query("select employee_id from raw_nmbrs.employees")}
    connected.sandbox.advance_to_day(2)
    connected.import_company()
    company = connected.company
    after = {r[0] for r in connected.query("select employee_id from raw_nmbrs.employees")}
    assert after == {e.employee_id for e in company.employees}
    [gone] = before - after
    for table in HISTORIES:
        assert sorted(connected.keys(table)) == sorted(emulator_keys(company, table)), table
        assert connected.query(f"select count(*) from raw_nmbrs.{table} "
                               f"where employee_id = '{gone}'") == [(0,)], table


def test_expired_access_token_is_refreshed(connected):
    before = connected.control.load_credentials(connected.integration_id)["token"]
    connected.sandbox.expire_access_tokens()
    connected.import_company()
    after = connected.control.load_credentials(connected.integration_id)
    assert after["token"]["access_token"] != before["access_token"]
    assert after["token"]["refresh_token"] != before["refresh_token"]  # single use: rotated
    assert after["subscription_key"] == SANDBOX_SUBSCRIPTION_KEY


def _failure(connected) -> str:
    with pytest.raises(Exception) as raised:
        connected.import_company()
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    return "\n".join(chain)


def _row_counts(connected) -> dict[str, int]:
    return {table: connected.query(f"select count(*) from raw_nmbrs.{table}")[0][0]
            for table in HISTORIES}


def test_429_waits_its_retry_after_and_says_so(connected, monkeypatch, caplog):
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    connected.sandbox.inject_fault(r"/employees/contracts", 429, headers={"Retry-After": "90"})
    with caplog.at_level(logging.INFO, logger=http.__name__):
        connected.import_company()
    assert 90.0 in waits
    assert any("Van Dijk" in m and "429" in m and "90 s" in m for m in caplog.messages), \
        caplog.messages


def test_malformed_page_fails_and_loads_nothing(connected):
    before = _row_counts(connected)
    connected.sandbox.inject_fault(r"/employees/schedules", 200,
                                   body='{"data": [{"employeeId": "x", "schedules": [')
    failure = _failure(connected)
    connected.sandbox.faults.clear()
    assert "Van Dijk" in failure and "is malformed" in failure and "schedules" in failure
    assert _row_counts(connected) == before


def test_a_history_that_is_no_list_fails_and_loads_nothing(connected):
    before = _row_counts(connected)

    def corrupt(body):
        body["data"][0]["employments"] = {"startDate": "2025-01-01"}
        return body

    connected.sandbox.inject_fault(r"/employees/employments", None, edit=corrupt)
    failure = _failure(connected)
    connected.sandbox.faults.clear()
    assert "employments is not a list" in failure, failure
    assert _row_counts(connected) == before


def test_a_malformed_salary_names_entity_record_and_field_but_not_the_value(connected):
    before = _row_counts(connected)
    record = {}

    def corrupt(body):
        salary = body["data"][1]["salaries"][0]
        record.update(salary)
        salary["value"] = f"{salary['value']:.2f}".replace(".", ",") + " EUR"
        record["bad"] = salary["value"]
        return body

    connected.sandbox.inject_fault(r"/employees/salaries", None, edit=corrupt)
    failure = _failure(connected)
    connected.sandbox.faults.clear()
    assert "Van Dijk" in failure and record["salaryId"] in failure and "'value'" in failure
    for shown in (record["bad"], f"{record['value']:.2f}", str(record["value"]),
                  f"{record['value']:.2f}".replace(".", ",")):
        assert shown not in failure, failure
    assert _row_counts(connected) == before


def test_a_company_the_login_no_longer_sees_is_told_apart_from_a_broken_token(connected):
    from monitr_pipeline.entity_import import root_cause
    from monitr_pipeline.providers.adapter import ProviderError

    before = _row_counts(connected)
    company_id = connected.company.company_id
    connected.sandbox.remove_administration(company_id)
    try:
        with pytest.raises(Exception) as raised:
            connected.import_company()
    finally:
        connected.sandbox.restore_administration(company_id)
    cause = root_cause(raised.value)
    assert isinstance(cause, ProviderError) and cause.status == 403
    assert "CompanyAccessDenied" in cause.reason and ADAPTER.administration_gone(cause)
    assert _row_counts(connected) == before
