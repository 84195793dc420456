"""The project marts against figures recomputed in Python from the sources' own data: the Exact
emulator's time and cost registrations and project budgets (two divisions, imported over HTTP a day
after their base data), the CSV sandbox's project books (two administration folders) and the
documented NL CSV template (which carries budgets), built with `dbt build`."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.csv_import import ADAPTER as CSV_ADAPTER
from monitr_pipeline.providers.exact_online import ADAPTER as EXACT_ADAPTER
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_sandbox.csv_import.uploads import CsvUploads
from monitr_sandbox.exact_online import SANDBOX, ExactSandbox, create_app
from monitr_sandbox.exact_online.projects import TIME
from monitr_sandbox.server import EmulatorServer

_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
REPOSITORY = Path(__file__).resolve().parents[2]
TEMPLATE = REPOSITORY / "docs" / "csv_templates" / "nl-installatiebedrijf"
EXACT_DIVISIONS = {131001: 1, 131002: 2}  # division -> entity id
EXACT_TABLES = ("projects", "time_cost_transactions", "divisions", "deleted_records")
MARTS = ("fct_project_hours_monthly", "fct_project_costs_monthly", "fct_project_budget_vs_actual")
CENT = Decimal("0.01")


@dataclass
class Built:
    """The warehouse after the imports and the dbt build, and the sources it was built from."""

    settings: Settings
    exact: ExactSandbox
    uploads: CsvUploads
    csv_entities: dict[str, int]  # administration folder -> entity id

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()


def _load(settings: Settings, adapter, client, entity_id: int, external_id: str,
          tables: tuple[str, ...] | None = None) -> None:
    run = ImportRunContext(EntityContext(1, entity_id, external_id,
                                         f"{adapter.spec.slug}-{entity_id}", external_id))
    source = provider_source(adapter, run, client)
    pipeline = entity_pipeline(settings, adapter.spec, run.entity.partition_key)
    pipeline.run(source.with_resources(*tables) if tables else source)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    home = tmp_path_factory.mktemp("project_marts")
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(home / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        exact = ExactSandbox("nl", day=1, minutely_limit=10_000, daily_limit=1_000_000)
        with EmulatorServer(create_app(exact)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = SANDBOX.connect(control, organisation_id, "nl", server.url, exact)
            for division, entity_id in EXACT_DIVISIONS.items():
                client = entity_client(EXACT_ADAPTER, server.url, str(division),
                                       control.credential_store(integration_id))
                _load(settings, EXACT_ADAPTER, client, entity_id, str(division), EXACT_TABLES)
        uploads = CsvUploads(home / "uploads", day=1)
        shutil.copytree(TEMPLATE, uploads.folder / TEMPLATE.name)
        csv_entities = {name: 10 + index for index, name in
                        enumerate([*uploads.administrations, TEMPLATE.name])}
        for name, entity_id in csv_entities.items():
            _load(settings, CSV_ADAPTER, CSV_ADAPTER.entity_client(str(uploads.folder), name),
                  entity_id, name)
        subprocess.run(
            # Models only: the upstream staging models' tests are not what this module checks
            # (it checks one row per key itself), and they would double dbt's time.
            [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--resource-type",
             "model", "--select", *(f"+{mart}" for mart in MARTS),
             "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(home / "target"),
             "--log-path", str(home / "logs")],
            check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **settings.dbt_env()})
        yield Built(settings, exact, uploads, csv_entities)


# --- the sources' own figures ----------------------------------------------------------------------
def _month(day: date) -> date:
    return day.replace(day=1)


def _exact_registrations(built: Built):
    for division, entity_id in EXACT_DIVISIONS.items():
        for registration in built.exact.feed(division).projects.registrations.values():
            yield entity_id, registration


def _template_rows(name: str) -> list[dict[str, str]]:
    """A row per line of a template file: ';'-separated, UTF-8 with BOM, decimal comma."""
    with open(TEMPLATE / name, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def _number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def _template_date(text: str) -> date:
    return datetime.strptime(text, "%d-%m-%Y").date()


def _expected_hours(built: Built) -> dict[tuple, tuple]:
    """(provider, entity, project, month) -> (hours, billable hours, amount, registrations)."""
    sums: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0), 0, False])

    def add(key, hours, billable, amount):
        total = sums[key]
        total[0] += hours
        total[1] += hours if billable else 0
        total[2] += amount
        total[3] += 1
        total[4] = total[4] or billable is not None

    for entity_id, r in _exact_registrations(built):
        if r.kind == TIME:
            add(("exact_online", entity_id, r.project_code, _month(r.date)), r.quantity, None,
                r.amount)
    for name, entity_id in built.csv_entities.items():
        if name == TEMPLATE.name:
            for row in _template_rows("project_hours.csv"):
                hours, rate = _number(row["Uren"]), _number(row["Tarief"])
                add(("csv_import", entity_id, row["Project"], _month(_template_date(row["Datum"]))),
                    hours, row["Declarabel"] == "ja", (hours * rate).quantize(CENT))
            continue
        for h in built.uploads.project_book(name).hours.values():
            add(("csv_import", entity_id, h.project_code, _month(h.date)), h.hours, h.billable,
                (h.hours * h.rate).quantize(CENT))
    return {key: (hours, billable if known else None, amount, count)
            for key, (hours, billable, amount, count, known) in sums.items()}


def _expected_costs(built: Built) -> dict[tuple, tuple]:
    """(provider, entity, project, month) -> (amount, registrations)."""
    sums: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])

    def add(key, amount):
        sums[key][0] += amount
        sums[key][1] += 1

    for entity_id, r in _exact_registrations(built):
        if r.kind != TIME:
            add(("exact_online", entity_id, r.project_code, _month(r.date)), r.amount)
    for name, entity_id in built.csv_entities.items():
        if name == TEMPLATE.name:
            for row in _template_rows("project_costs.csv"):
                add(("csv_import", entity_id, row["Project"], _month(_template_date(row["Datum"]))),
                    _number(row["Bedrag"]))
            continue
        for c in built.uploads.project_book(name).costs.values():
            add(("csv_import", entity_id, c.project_code, _month(c.date)), c.amount)
    return {key: tuple(value) for key, value in sums.items()}


def _expected_budgets(built: Built) -> dict[tuple, tuple]:
    """(provider, entity, project) -> (budget hours, actual hours, budget amount, actual amount)."""
    hours, costs = _expected_hours(built), _expected_costs(built)

    def actual(provider, entity_id, code):
        mine = [v for k, v in hours.items() if k[:3] == (provider, entity_id, code)]
        spent = [v for k, v in costs.items() if k[:3] == (provider, entity_id, code)]
        return (sum((v[0] for v in mine), Decimal(0)),
                sum((v[2] for v in mine), Decimal(0)) + sum((v[0] for v in spent), Decimal(0)))

    expected = {}
    for division, entity_id in EXACT_DIVISIONS.items():
        for code, budget in built.exact.feed(division).projects.budgets.items():
            if budget.hours or budget.costs:  # Exact's 0 is no budget
                done, amount = actual("exact_online", entity_id, code)
                expected[("exact_online", entity_id, code)] = (
                    budget.hours or None, done, budget.costs or None, amount)
    entity_id = built.csv_entities[TEMPLATE.name]
    for row in _template_rows("projects.csv"):
        if row["Budget uren"] or row["Budget"]:
            done, amount = actual("csv_import", entity_id, row["Projectcode"])
            expected[("csv_import", entity_id, row["Projectcode"])] = (
                _number(row["Budget uren"]) if row["Budget uren"] else None, done,
                _number(row["Budget"]) if row["Budget"] else None, amount)
    return expected


# --- the marts ---------------------------------------------------------------------------------
def test_hours_per_project_per_month(built):
    rows = built.query("""select provider, entity_id, project_code, month_start, hours,
                                 billable_hours, hours_amount, registration_count
                          from marts.fct_project_hours_monthly""")
    got = {tuple(r[:4]): tuple(r[4:]) for r in rows}
    assert len(got) == len(rows)  # one row per provider x entity x project x month
    expected = _expected_hours(built)
    assert got == expected
    assert {key[0] for key in expected} == {"exact_online", "csv_import"}
    # Exact does not say which hours are billable; the CSV files do.
    assert {r[0] for r in rows if r[5] is None} == {"exact_online"}
    assert built.query("""select distinct currency from marts.fct_project_hours_monthly""") == [
        ("EUR",)]


def test_costs_per_project_per_month(built):
    rows = built.query("""select provider, entity_id, project_code, month_start, cost_amount,
                                 cost_count
                          from marts.fct_project_costs_monthly""")
    got = {tuple(r[:4]): tuple(r[4:]) for r in rows}
    assert len(got) == len(rows)
    assert got == _expected_costs(built)
    assert built.query("""select count(*) from marts.fct_project_costs_monthly
                          where currency <> 'EUR' or other_currency_count <> 0""") == [(0,)]


def test_budget_vs_actual_per_project(built):
    rows = built.query("""select provider, entity_id, project_code, budget_hours, actual_hours,
                                 budget_amount, actual_amount, hours_variance, amount_variance
                          from marts.fct_project_budget_vs_actual""")
    got = {tuple(r[:3]): tuple(r[3:7]) for r in rows}
    expected = _expected_budgets(built)
    assert got == expected
    assert any(k[0] == "csv_import" for k in expected) and any(
        k[0] == "exact_online" for k in expected)
    for _, _, _, budget_hours, actual_hours, budget_amount, actual_amount, hours_variance, \
            amount_variance in rows:
        assert hours_variance == (None if budget_hours is None else actual_hours - budget_hours)
        assert amount_variance == (None if budget_amount is None
                                   else actual_amount - budget_amount)
    assert built.query("select distinct currency from marts.fct_project_budget_vs_actual") == [
        ("EUR",)]
    # The sandbox's budgets are drawn around the work: some projects overrun, others do not.
    assert {v > 0 for *_, v in rows if v is not None} == {True, False}
