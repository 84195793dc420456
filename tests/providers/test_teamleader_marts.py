"""The CRM, revenue and project marts from Teamleader's emulator: both departments imported
(after days of changes and deletions), `dbt build` of the marts, and the Teamleader rows of
fct_deal_forecast, fct_pipeline_value_monthly, fct_mrr_monthly and fct_project_hours_monthly
checked against figures computed here from the emulator's own deals, phases, subscriptions and
time entries."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.teamleader import ADAPTER
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_pipeline.warehouse import query
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.teamleader import DEPARTMENTS, TeamleaderSandbox, create_app
from monitr_sandbox.teamleader.account import phase
from monitr_sandbox.teamleader.provider import connect_account

MODELS = ("+fct_deal_forecast", "+fct_pipeline_value_monthly", "+fct_mrr_monthly",
          "+fct_mrr_movements", "+fct_project_hours_monthly", "+fct_project_costs_monthly",
          "+fct_project_budget_vs_actual")
CENT = Decimal("0.01")
ZONE = ZoneInfo("Europe/Brussels")  # Teamleader's calendar days
VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
ENTITIES = dict(enumerate(DEPARTMENTS, start=1))  # entity id -> department


@dataclass
class Built:
    settings: Settings
    sandbox: TeamleaderSandbox

    def query(self, sql: str) -> list[tuple]:
        return query(self.settings, sql)


def import_and_build(home: Path) -> Built:
    """Both departments imported into the warehouse MONITR_* names (and again after two days of
    changes), then `dbt build` of the marts and their tests."""
    settings = Settings.from_env()
    control = ControlPlane.from_settings(settings)
    sandbox = TeamleaderSandbox(per_minute=100_000)
    with EmulatorServer(create_app(sandbox)) as server:
        integration_id = connect_account(control, control.ensure_organisation("demo", "Demo"),
                                         server.url)
        for day in (0, 2):  # imported, then changed, deleted and added, and imported again
            sandbox.advance_to_day(day)
            for entity_id, department in ENTITIES.items():
                run = ImportRunContext(EntityContext(1, entity_id, department.id,
                                                     f"teamleader-{entity_id}", department.name))
                client = entity_client(ADAPTER, server.url, department.id,
                                       control.credential_store(integration_id))
                entity_pipeline(settings, ADAPTER.spec, run.entity.partition_key).run(
                    provider_source(ADAPTER, run, client))
    subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--select", *MODELS,
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(home / "target"), "--log-path", str(home / "logs")],
        check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **settings.dbt_env()})
    return Built(settings, sandbox)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    home = tmp_path_factory.mktemp("teamleader_marts")
    with pytest.MonkeyPatch.context() as patch:
        for name in VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(home / "monitr"))
        yield import_and_build(home)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _day(moment: datetime) -> date:
    return moment.astimezone(ZONE).date()


def _deals(built: Built):
    """(entity id, deal, probability, close date, is closed) of every deal Teamleader has now."""
    for entity_id, department in ENTITIES.items():
        for deal in built.sandbox.book.deals.values():
            if deal.department == department.id:
                closed = deal.status in ("won", "lost")
                probability = (Decimal(1) if deal.status == "won" else Decimal(0)) if closed \
                    else phase(deal.phase)[1].probability
                close = _day(deal.closed_at) if closed else deal.closing_date
                yield entity_id, deal, probability, close, closed


def test_deal_forecast_is_the_open_deals_weighted_by_their_phase(built):
    expected: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for entity_id, deal, probability, close, closed in _deals(built):
        if not closed:
            figures = expected[(entity_id, close.replace(day=1))]
            figures[0] += 1
            figures[1] += deal.amount
            figures[2] += deal.amount * probability
    rows = built.query("""select entity_id, close_month, open_deal_count, open_amount,
                                 weighted_amount, company_currency
                          from marts.fct_deal_forecast where provider = 'teamleader'""")
    assert {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows} == {
        key: (count, _cents(amount), _cents(weighted))
        for key, (count, amount, weighted) in expected.items()}
    assert {r[5] for r in rows} == {"EUR"}


def test_pipeline_value_counts_deals_open_at_each_month_end(built):
    [(today,)] = built.query("select current_date")
    deals = list(_deals(built))
    expected: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for entity_id in ENTITIES:
        own = [d for d in deals if d[0] == entity_id]
        month = min(_day(d[1].created_at) for d in own).replace(day=1)
        while month <= today.replace(day=1):
            month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            for _, deal, probability, close, closed in own:
                if _day(deal.created_at) <= month_end and not (closed and close <= month_end):
                    stage = deal.status if closed else deal.phase
                    figures = expected[(entity_id, deal.pipeline, stage, month_end)]
                    figures[0] += 1
                    figures[1] += deal.amount
                    figures[2] += deal.amount * probability
            month = (month + timedelta(days=32)).replace(day=1)
    rows = built.query("""select entity_id, pipeline_id, stage_id, month_end, open_deal_count,
                                 open_amount, weighted_amount
                          from marts.fct_pipeline_value_monthly where provider = 'teamleader'""")
    loaded = {(r[0], r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in rows}
    assert loaded == {key: (count, _cents(amount), _cents(weighted))
                      for key, (count, amount, weighted) in expected.items()}
    assert min(key[3] for key in loaded) <= date(2025, 7, 31)  # 18 months of history


_PER_MONTH = {"month": Decimal(1), "year": Decimal(1) / 12, "week": Decimal(52) / 12}


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def test_mrr_per_customer_and_month_is_the_subscriptions(built):
    """Each month measured at its end (the current one at the data's moment), from a
    customer's first MRR to the month after its last: a subscription counts from its starts_on
    until the end of its ends_on, its total per cycle spread over the months of its cycle."""
    as_of = built.sandbox.now
    expected: dict[tuple, Decimal] = {}
    for entity_id, department in ENTITIES.items():
        subs = [s for s in built.sandbox.book.subscriptions.values()
                if s.department == department.id]
        month = min(s.starts_on for s in subs).replace(day=1)
        per_customer: dict[str, dict[date, Decimal]] = defaultdict(dict)
        while _midnight(month) <= as_of:
            following = (month + timedelta(days=32)).replace(day=1)
            measured = min(_midnight(following), as_of)
            for sub in subs:
                ended = _midnight(sub.ends_on + timedelta(days=1)) if sub.ends_on else None
                counted = _midnight(sub.starts_on) < measured and (ended is None
                                                                  or ended >= measured)
                mrr = sub.amount * _PER_MONTH[sub.unit] / sub.period if counted else Decimal(0)
                months = per_customer[sub.customer]
                months[month] = months.get(month, Decimal(0)) + mrr
            month = following
        for customer, months in per_customer.items():
            previous = Decimal(0)
            for month, mrr in sorted(months.items()):
                # A month is a row while the customer has MRR, and the month it churned.
                if _cents(mrr) > 0 or previous > 0:
                    expected[(entity_id, customer, month)] = _cents(mrr)
                previous = _cents(mrr)
    rows = built.query("""select entity_id, customer_id, month_start, mrr_amount, currency
                          from marts.fct_mrr_monthly where provider = 'teamleader'""")
    loaded = {(r[0], r[1], r[2]): r[3] for r in rows}
    assert loaded.keys() == expected.keys()
    # Sums of decimals against the mart's sums: exact to the cent but for a week's 52/12.
    assert all(abs(loaded[k] - v) <= CENT for k, v in expected.items()), [
        (k, loaded[k], v) for k, v in expected.items() if abs(loaded[k] - v) > CENT][:5]
    assert {r[4] for r in rows} == {"EUR"}
    assert sum(v for k, v in expected.items() if k[2] == as_of.date().replace(day=1)) > 0


def test_project_hours_per_project_and_month_are_the_tracked_time(built):
    book = built.sandbox.book
    expected: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    for entity_id, department in ENTITIES.items():
        for entry in book.time_entries.values():
            project = book.projects[entry.project]
            if project.department == department.id:
                figures = expected[(entity_id, str(project.key), entry.started_on.replace(day=1))]
                hours = Decimal(entry.duration) / 3600
                figures[0] += hours
                figures[1] += hours if entry.invoiceable else 0
                figures[2] += 1
    rows = built.query("""select entity_id, project_code, month_start, hours, billable_hours,
                                 registration_count
                          from marts.fct_project_hours_monthly where provider = 'teamleader'""")
    assert {(r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in rows} == {
        key: (hours.quantize(Decimal("0.0001")), billable.quantize(Decimal("0.0001")), count)
        for key, (hours, billable, count) in expected.items()}


def test_project_costs_per_project_and_month_are_the_materials(built):
    """Materials used (quantity at unit cost), by their start date. Their amounts are counted
    apart (other_currency_count): the project marts know an entity's reporting currency from
    accounting administrations only (int_entities__reporting_currency)."""
    book = built.sandbox.book
    expected: dict[tuple, int] = defaultdict(int)
    for entity_id, department in ENTITIES.items():
        for used in book.materials.values():
            project = book.projects[used.project]
            if project.department == department.id:
                expected[(entity_id, str(project.key), used.start_date.replace(day=1))] += 1
    rows = built.query("""select entity_id, project_code, month_start, cost_count
                          from marts.fct_project_costs_monthly where provider = 'teamleader'""")
    assert {(r[0], r[1], r[2]): r[3] for r in rows} == dict(expected)
    costs = built.query("""select sum(amount) from int_project_costs__unioned
                           where provider = 'teamleader'""".replace(
        "int_project_costs__unioned", _relation(built, "int_project_costs__unioned")))
    assert costs == [(sum((m.quantity * m.unit_cost).quantize(CENT)
                          for m in book.materials.values()),)]


def _relation(built: Built, model: str) -> str:
    [(schema,)] = built.query(f"select table_schema from information_schema.tables "
                              f"where table_name = '{model}'")
    return f"{schema}.{model}"


def test_budget_against_actual_hours_per_project(built):
    book = built.sandbox.book
    expected = {}
    for entity_id, department in ENTITIES.items():
        for project in book.projects.values():
            if project.department != department.id or not (
                    project.time_budget_seconds or project.internal_budget):
                continue
            seconds = sum(e.duration for e in book.time_entries.values()
                          if e.project == project.id)
            expected[(entity_id, str(project.key))] = (
                Decimal(project.time_budget_seconds) / 3600 if project.time_budget_seconds
                else None, Decimal(seconds) / 3600, project.internal_budget)
    rows = built.query("""select entity_id, project_code, budget_hours, actual_hours,
                                 budget_amount
                          from marts.fct_project_budget_vs_actual
                          where provider = 'teamleader'""")
    four = Decimal("0.0001")
    assert {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows} == {
        key: (hours.quantize(four) if hours is not None else None, actual.quantize(four),
              amount.quantize(CENT) if amount is not None else None)
        for key, (hours, actual, amount) in expected.items()}


SUMMARY_SQL = """
    select entity_id, company_currency,
           sum(open_deal_count) as open_deals,
           sum(open_amount) as open_pipeline_amount,
           sum(weighted_amount) as weighted_forecast_amount
    from marts.fct_deal_forecast
    where provider = 'teamleader'
    group by entity_id, company_currency
"""


def test_the_per_entity_summary_figure(built):
    """The demo's per-entity CRM figure (HubSpot's query): open pipeline and weighted forecast."""
    expected: dict[int, list] = defaultdict(lambda: [0, Decimal(0)])
    for entity_id, deal, _, _, closed in _deals(built):
        if not closed:
            expected[entity_id][0] += 1
            expected[entity_id][1] += deal.amount
    rows = {r[0]: r[1:] for r in built.query(SUMMARY_SQL)}
    assert {e: (r[0], r[1], r[2]) for e, r in rows.items()} == {
        e: ("EUR", count, amount) for e, (count, amount) in expected.items()}
