"""Nmbrs through Dagster: a company joins its entity as a payroll administration, the import job
runs as a Dagster run, and neither a successful run nor one failing on a malformed salary puts
a salary value in the run's logs, events or materialization metadata (only row counts and
table names); the failure names the entity, the record and the field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.models import Entity
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.instance import monitr_instance
from monitr_pipeline.providers.nmbrs import ADAPTER
from monitr_pipeline.runner import run_import, sync_partitions
from monitr_pipeline.settings import Settings
from monitr_sandbox.nmbrs import NmbrsSandbox, create_app
from monitr_sandbox.nmbrs.provider import connect_login
from monitr_sandbox.server import EmulatorServer

COMPANY = "Koffiebranderij Van Dijk B.V."
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Running:
    control: ControlPlane
    instance: object
    sandbox: NmbrsSandbox
    connection: object

    def salaries(self) -> list[dict]:
        company = self.sandbox.company_named(COMPANY)
        return [s for e in company.employees for s in e.salaries]

    def run_text(self, run_id: str) -> str:
        """Everything Dagster kept of the run: every event with its message, metadata and error."""
        return "\n".join(repr(entry) for entry in self.instance.all_logs(run_id))


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    from monitr_pipeline.definitions import defs

    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("nmbrs_dagster") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = NmbrsSandbox(rate_limit=1000)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            # The entity its accounting platform made (named after its administration).
            with control.session() as session:
                entity = Entity(organisation_id=organisation_id, name=COMPANY)
                session.add(entity)
                session.flush()
                entity_id = entity.id
            integration_id = connect_login(control, organisation_id, server.url)
            company = next(a for a in discover(control, ADAPTER, integration_id)
                           if a.name == COMPANY)
            connection = control.connect_entity(integration_id, company.external_id,
                                                company.name, "payroll", entity_id=entity_id)
            instance = monitr_instance(settings)
            sync_partitions(control, instance)
            yield Running(control, instance, sandbox, connection)
            instance.dispose()


def _shown(value: float, text: str) -> list[str]:
    """The ways a salary could be written in the text, found as whole numbers only."""
    forms = {f"{value:.2f}", repr(float(value)), f"{value:.2f}".replace(".", ",")}
    return [form for form in forms
            if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", text)]


def test_a_successful_run_shows_counts_and_tables_but_no_salary(running):
    from monitr_pipeline.definitions import defs

    outcome = run_import(defs, running.instance, running.control, running.connection)
    assert outcome.success
    text = running.run_text(outcome.run_id)
    # The materializations say which table and how many rows.
    assert "'rows_loaded'" in text and "'salaries'" in text
    shown = {s["salaryId"]: _shown(s["value"], text) for s in running.salaries()}
    assert not {k: v for k, v in shown.items() if v}
    assert outcome.status.status == "Succeeded" and outcome.status.rows_loaded > 50


def test_a_malformed_salary_fails_the_run_naming_record_and_field_not_the_value(running):
    from monitr_pipeline.definitions import defs

    record: dict = {}

    def corrupt(body):
        salary = body["data"][2]["salaries"][-1]
        record.update(salary)
        salary["value"] = f"{salary['value']:.2f}".replace(".", ",")
        return body

    running.sandbox.inject_fault(r"/employees/salaries", None, edit=corrupt)
    outcome = run_import(defs, running.instance, running.control, running.connection)
    running.sandbox.faults.clear()
    assert not outcome.success
    error = outcome.status.error or ""
    text = running.run_text(outcome.run_id)
    for said in (error, text):
        assert COMPANY in said and record["salaryId"] in said and "'value'" in said, said[-2000:]
        assert not _shown(record["value"], said), record
        assert not [s for s in running.salaries() if _shown(s["value"], said)]
