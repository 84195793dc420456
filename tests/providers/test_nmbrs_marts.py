"""The personnel marts from Nmbrs' data: the three sandbox companies imported from the emulator,
`dbt build` of the Nmbrs staging, the personnel intermediate models and marts, and every figure
(headcount, FTE and salary cost per entity, department and month; the employee dimension)
recomputed here in Python from the emulator's own employee histories. No mart holds a name or
an employee number."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.nmbrs import ADAPTER
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_sandbox.nmbrs import NmbrsSandbox, create_app
from monitr_sandbox.nmbrs.provider import connect_login
from monitr_sandbox.server import EmulatorServer

MODELS = ("path:models/staging/nmbrs", "path:models/intermediate/personnel",
          "path:models/marts/personnel")
SALT = "monitr-sandbox-salt"  # the documented default of personnel_key_salt
WEEKS_A_MONTH = Decimal("4.33")
CENT = Decimal("0.01")
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY", "MONITR_PERSONNEL_KEY_SALT")


@dataclass
class Built:
    settings: Settings
    sandbox: NmbrsSandbox
    entities: dict[int, object]  # entity id -> the emulator's company
    control: ControlPlane
    url: str
    integration_id: int
    tmp: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def import_entity(self, entity_id: int) -> None:
        company = self.entities[entity_id]
        run = ImportRunContext(EntityContext(1, entity_id, company.company_id,
                                             f"nmbrs-{entity_id}", company.name))
        client = entity_client(ADAPTER, self.url, company.company_id,
                               self.control.credential_store(self.integration_id))
        entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key).run(
            provider_source(ADAPTER, run, client))

    def dbt(self, command: str, *select: str) -> None:
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), command, "--quiet", "--select", *select,
             "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
             "--target-path", str(self.tmp / "target"), "--log-path", str(self.tmp / "logs")],
            check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **self.settings.dbt_env()})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    tmp = tmp_path_factory.mktemp("nmbrs_marts")
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = NmbrsSandbox(rate_limit=1000)
        with EmulatorServer(create_app(sandbox)) as server:
            integration_id = connect_login(control, control.ensure_organisation("demo", "Demo"),
                                           server.url)
            built = Built(settings, sandbox, dict(enumerate(sandbox.companies(), start=1)),
                          control, server.url, integration_id, tmp)
            for entity_id in built.entities:
                built.import_entity(entity_id)
            built.dbt("build", *MODELS)
            yield built


# --- the figures, from the emulator's histories ------------------------------------------------
def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _months() -> list[tuple[int, date, date]]:
    """(month index, first day, last day) of every month from this one back far enough."""
    today = date.today()
    last = today.year * 12 + today.month - 1
    months = []
    for index in range(2020 * 12, last + 1):
        first = date(index // 12, index % 12 + 1, 1)
        end = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        months.append((index, first, end))
    return months


def _in_force(records, on: date, start=lambda r: _day(r["startDate"])):
    candidates = [r for r in records if start(r) <= on]
    return max(candidates, key=start) if candidates else None


def _department(employee, index: int):
    candidates = [d for d in employee.departments
                  if d["period"]["year"] * 12 + d["period"]["period"] - 1 <= index]
    if not candidates:
        return None
    return max(candidates, key=lambda d: d["period"]["year"] * 12 + d["period"]["period"])


def expected(entities) -> tuple[dict, dict]:
    """Headcount, FTE and salary cost per (entity, month start, department code)."""
    headcount: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    cost: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    for entity_id, company in entities.items():
        for employee in company.employees:
            for index, first, end in _months():
                if not any(_day(e["startDate"]) <= end and (e["endDate"] is None
                                                             or _day(e["endDate"]) >= end)
                           for e in employee.employments):
                    continue
                department = _department(employee, index)
                key = (entity_id, first, department["code"] if department else None)
                schedule = _in_force(employee.schedules, end)
                headcount[key][0] += 1
                headcount[key][1] += (Decimal(schedule["parttimePercentage"]) / 100
                                      if schedule else Decimal(0))
                salary = _in_force(employee.salaries, end)
                if salary is None:
                    continue
                amount = Decimal(str(salary["value"]))
                if salary["type"] == "hourly":
                    hours = Decimal(str(schedule["hoursPerWeek"])) if schedule else Decimal(0)
                    amount = (amount * hours * WEEKS_A_MONTH).quantize(CENT, ROUND_HALF_UP)
                cost[key][0] += 1
                cost[key][1] += amount
    return ({k: (n, fte) for k, (n, fte) in headcount.items()},
            {k: (n, total) for k, (n, total) in cost.items()})


def test_headcount_and_fte_per_department_and_month(built):
    figures, _ = expected(built.entities)
    rows = built.query("""select entity_id, month_start_date, department_code, headcount, fte
                          from marts.fct_headcount_monthly""")
    assert {(e, m, d): (n, fte) for e, m, d, n, fte in rows} == figures
    assert len(figures) > 100


def test_salary_cost_per_department_and_month_in_its_own_schema(built):
    _, figures = expected(built.entities)
    rows = built.query("""select entity_id, month_start_date, department_code,
                                 salaried_headcount, salary_cost, currency
                          from personnel_salary.fct_salary_cost_monthly""")
    assert {(e, m, d): (n, total) for e, m, d, n, total, _ in rows} == figures
    assert {currency for *_, currency in rows} == {"EUR"}
    # Salaries are in no other schema than personnel_salary (and the raw tables dlt loads,
    # with its merge staging dataset).
    salary_tables = built.query("""
        select distinct table_schema from information_schema.columns
        where column_name in ('salary_amount', 'salary_cost', 'value')""")
    assert {schema for (schema,) in salary_tables} <= {
        "personnel_salary", "raw_nmbrs", "raw_nmbrs_staging"}


def test_dim_employees(built):
    rows = _dim_employees_as_expected(built)
    assert any(count > 1 for _, _, _, _, count, _ in rows.values())  # a re-hire


def _dim_employees_as_expected(built) -> dict:
    rows = {row[0]: row[1:] for row in built.query("""
        select employee_key, entity_id, first_employment_start_date, employment_start_date,
               employment_end_date, employment_count, current_department_code
        from marts.dim_employees""")}
    this_month = date.today().year * 12 + date.today().month - 1
    wanted = {}
    for entity_id, company in built.entities.items():
        for employee in company.employees:
            key = hashlib.md5(f"{SALT}|{company.company_id}|{employee.employee_id}".encode()
                              ).hexdigest()
            latest = max(employee.employments, key=lambda e: e["startDate"])
            department = _department(employee, this_month)
            wanted[key] = (entity_id, min(_day(e["startDate"]) for e in employee.employments),
                           _day(latest["startDate"]), _day(latest["endDate"]),
                           len(employee.employments), department["code"])
    assert rows == wanted
    return rows


def test_no_name_or_employee_number_in_any_mart(built):
    people = [e.basic_info for company in built.entities.values() for e in company.employees]
    names = {p[field] for p in people for field in ("firstName", "lastName", "initials")}
    numbers = {str(p["employeeNumber"]) for p in people}
    for schema, table in (("marts", "dim_employees"), ("marts", "fct_headcount_monthly"),
                          ("personnel_salary", "fct_salary_cost_monthly")):
        columns = [c for (c,) in built.query(
            f"select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}'")]
        assert not [c for c in columns if not c.endswith("department_name") and (
            "name" in c or "number" in c or "birth" in c or "address" in c)], columns
        for row in built.query(f"select * from {schema}.{table}"):
            for value in row:
                text = str(value)
                assert text not in numbers, (table, text)
                assert not any(name in text.split() for name in names), (table, text)


SUMMARY_SQL = """
    with latest as (
        select entity_id, max(month_start_date) as month_start_date
        from marts.fct_headcount_monthly
        group by entity_id
    )
    select h.entity_id, h.month_start_date, sum(h.headcount) as headcount, sum(h.fte) as fte
    from marts.fct_headcount_monthly as h
    inner join latest
        on latest.entity_id = h.entity_id and latest.month_start_date = h.month_start_date
    group by h.entity_id, h.month_start_date
    order by h.entity_id"""


def test_the_per_entity_summary_is_this_months_headcount_and_fte(built):
    figures, _ = expected(built.entities)
    this_month = date.today().replace(day=1)
    wanted = []
    for entity_id in sorted(built.entities):
        month = [v for (e, m, _), v in figures.items() if e == entity_id and m == this_month]
        wanted.append((entity_id, this_month, sum(n for n, _ in month),
                       sum(fte for _, fte in month)))
    assert built.query(SUMMARY_SQL) == wanted
    assert all(headcount > 0 for _, _, headcount, _ in wanted)


def test_the_marts_follow_a_raise_a_move_and_deletions_at_nmbrs(built):
    """Day 1 (a raise, a department move, a re-hire's employment removed) and day 2 (an employee
    deleted), re-imported: the marts (tables; staging and unions are views) rebuilt show them."""
    built.sandbox.advance_to_day(2)
    for entity_id in built.entities:  # every company changed
        built.import_entity(entity_id)
    built.dbt("run", "path:models/marts/personnel")
    test_headcount_and_fte_per_department_and_month(built)
    test_salary_cost_per_department_and_month_in_its_own_schema(built)
    rows = _dim_employees_as_expected(built)
    assert all(count == 1 for _, _, _, _, count, _ in rows.values())  # the re-hires removed
