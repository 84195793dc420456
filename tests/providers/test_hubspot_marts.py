"""The CRM marts from HubSpot's emulator: both portals imported (after days of changes and
archived deals), `dbt build` of the CRM models, and every figure of fct_deals,
fct_deal_forecast and fct_pipeline_value_monthly checked against values computed here from the
emulator's own deals and pipeline stages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.hubspot import ADAPTER
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.hubspot import PORTALS, HubSpotSandbox, create_app
from monitr_sandbox.hubspot.provider import connect_portal
from monitr_sandbox.server import EmulatorServer

MODELS = ("+fct_deals", "+fct_pipeline_value_monthly", "+fct_deal_forecast")
CENT = Decimal("0.01")
# The portals' time zone (their account details): dates are calendar days there.
ZONE = ZoneInfo("Europe/Amsterdam")
_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")


@dataclass
class Built:
    settings: Settings
    sandbox: HubSpotSandbox
    entities: dict[int, object]  # entity id -> portal

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()


def _import(settings, control, url, integration_id, entity_id, portal) -> None:
    external_id = str(portal.hub_id)
    run = ImportRunContext(EntityContext(1, entity_id, external_id, f"hubspot-{entity_id}",
                                         portal.name))
    client = entity_client(ADAPTER, url, external_id, control.credential_store(integration_id))
    pipeline = entity_pipeline(settings, ADAPTER.spec, run.entity.partition_key)
    pipeline.run(provider_source(ADAPTER, run, client))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    home = tmp_path_factory.mktemp("hubspot_marts")
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(home / "monitr"))
        patch.setattr(ADAPTER, "search_interval", 0.0)
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = HubSpotSandbox(ten_secondly=1000, search_secondly=1000)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            installs = {entity_id: (portal, connect_portal(control, organisation_id, server.url,
                                                           portal.environment))
                        for entity_id, portal in enumerate(PORTALS, start=1)}
            sandbox.advance_to_day(2)  # deals move on, close, are archived, come in
            for entity_id, (portal, integration_id) in installs.items():
                _import(settings, control, server.url, integration_id, entity_id, portal)
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--select", *MODELS,
             "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
             "--target-path", str(home / "target"), "--log-path", str(home / "logs")],
            check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **settings.dbt_env()})
        yield Built(settings, sandbox, {e: p for e, (p, _) in installs.items()})


def _deals(built: Built):
    """(entity id, portal, deal, stage, amount in company currency) of every live deal."""
    for entity_id, portal in built.entities.items():
        book = built.sandbox.book(portal.hub_id)
        for deal in book.live():
            home = Decimal(book.properties(deal)["amount_in_home_currency"])
            yield entity_id, portal, deal, portal.stage(deal.stage)[1], home


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _day(moment) -> date:
    return moment.astimezone(ZONE).date()


def _month(moment) -> date:
    return _day(moment).replace(day=1)


def test_fct_deals_holds_every_live_deal_with_its_stage(built):
    expected = {(entity_id, str(deal.id)): (
        deal.stage, stage.probability, stage.is_closed, stage.is_won, deal.amount, deal.currency,
        home, _cents(home * stage.probability), _day(deal.close_date))
        for entity_id, _, deal, stage, home in _deals(built)}
    rows = built.query("""
        select entity_id, source_deal_id, stage_id, stage_probability, is_closed, is_won, amount,
               currency, amount_company_currency, weighted_amount, close_date
        from marts.fct_deals where provider = 'hubspot'""")
    loaded = {(r[0], r[1]): (r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]) for r in rows}
    assert loaded == expected
    # Banketbakkerij Smit books some deals in dollars: converted in the company currency.
    assert {r[7] for r in rows if r[0] == 2} == {"EUR", "USD"}


def test_fct_deal_forecast_is_the_open_deals_weighted_per_close_month(built):
    expected: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for entity_id, _, deal, stage, home in _deals(built):
        if not stage.is_closed:
            figures = expected[(entity_id, _month(deal.close_date))]
            figures[0] += 1
            figures[1] += home
            figures[2] += home * stage.probability
    rows = built.query("""select entity_id, close_month, open_deal_count, open_amount,
                                 weighted_amount, company_currency
                          from marts.fct_deal_forecast where provider = 'hubspot'""")
    assert {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows} == {
        key: (count, _cents(amount), _cents(weighted))
        for key, (count, amount, weighted) in expected.items()}
    assert {r[5] for r in rows} == {"EUR"}


def test_fct_pipeline_value_monthly_counts_deals_open_at_each_month_end(built):
    [(today,)] = built.query("select current_date")
    deals = list(_deals(built))
    expected: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for entity_id in built.entities:
        own = [d for d in deals if d[0] == entity_id]
        month = min(_day(deal.created) for _, _, deal, _, _ in own).replace(day=1)
        while month <= today.replace(day=1):
            month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            for _, _, deal, stage, home in own:
                created = _day(deal.created)
                closed = stage.is_closed and _day(deal.close_date) <= month_end
                if created <= month_end and not closed:
                    figures = expected[(entity_id, deal.pipeline, deal.stage, month_end)]
                    figures[0] += 1
                    figures[1] += home
                    figures[2] += home * stage.probability
            month = (month + timedelta(days=32)).replace(day=1)
    rows = built.query("""select entity_id, pipeline_id, stage_id, month_end, open_deal_count,
                                 open_amount, weighted_amount
                          from marts.fct_pipeline_value_monthly where provider = 'hubspot'""")
    loaded = {(r[0], r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in rows}
    assert loaded == {key: (count, _cents(amount), _cents(weighted))
                      for key, (count, amount, weighted) in expected.items()}
    # 18 months of history: the first month-end is a year and a half back.
    assert min(key[3] for key in loaded) <= date(2025, 6, 30)


SUMMARY_SQL = """
    select entity_id, company_currency,
           sum(open_deal_count) as open_deals,
           sum(open_amount) as open_pipeline_amount,
           sum(weighted_amount) as weighted_forecast_amount
    from marts.fct_deal_forecast
    group by entity_id, company_currency
"""


def test_the_per_entity_summary_figure(built):
    """The demo's per-entity CRM figure: open pipeline and weighted forecast per entity."""
    expected: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for entity_id, _, deal, stage, home in _deals(built):
        if not stage.is_closed:
            figures = expected[entity_id]
            figures[0] += 1
            figures[1] += home
            figures[2] += home * stage.probability
    rows = {r[0]: r[1:] for r in built.query(SUMMARY_SQL)}
    assert {e: (c, n) for e, (c, n, *_) in rows.items()} == {
        e: ("EUR", count) for e, (count, _, _) in expected.items()}
    for entity_id, (count, amount, weighted) in expected.items():
        assert rows[entity_id][2] == amount  # amounts in cents: their sum is exact
        # The weighted amount is rounded per close month: at most half a cent a month apart.
        months = len(built.query(f"select 1 from marts.fct_deal_forecast "
                                 f"where entity_id = {entity_id}"))
        assert abs(rows[entity_id][3] - weighted) <= Decimal("0.005") * months
