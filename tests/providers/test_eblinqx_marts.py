"""fct_annual_accounts from eBlinqx Fiscaal's data: the sandbox companies imported from the
emulator, `dbt build` of the eBlinqx staging, int_annual_accounts__unioned and the mart (with
their dbt tests), and every figure per entity and fiscal year recomputed here from the
emulator's own annual accounts; again after a year is filed, a concept adopted with revised
figures and another withdrawn and drawn up anew."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.entity_figures import FIGURES
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.eblinqx import ADAPTER
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_pipeline.warehouse import query
from monitr_sandbox.eblinqx import EBlinqxSandbox, create_app
from monitr_sandbox.eblinqx.provider import connect_with_api_key
from monitr_sandbox.server import EmulatorServer

MODELS = ("path:models/staging/eblinqx", "int_annual_accounts__unioned",
          "path:models/marts/annual_accounts")
NAMES = ("Installatiebedrijf Smit BV", "Smit Vastgoed B.V.", "Studio Visser Ontwerp")
VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
_MART = """select entity_id, fiscal_year, provider, source_id, period_start_date,
                  period_end_date, currency, balance_sheet_total, equity, revenue,
                  result_before_tax, result_after_tax, tax_amount, solvency_ratio,
                  filing_status, is_adopted, is_filed, prepared_date, adopted_date, filed_date
           from marts.fct_annual_accounts"""


@dataclass
class Built:
    settings: Settings
    sandbox: EBlinqxSandbox
    control: ControlPlane
    url: str
    integration_id: int
    tmp: Path

    @property
    def entities(self) -> dict[int, str]:
        """entity id -> the company's name."""
        return dict(enumerate(NAMES, start=1))

    def import_all(self) -> None:
        for entity_id, name in self.entities.items():
            company_id = self.sandbox.company_named(name).company_id
            run = ImportRunContext(EntityContext(1, entity_id, company_id,
                                                 f"eblinqx-{entity_id}", name))
            client = entity_client(ADAPTER, self.url, company_id,
                                   self.control.credential_store(self.integration_id))
            entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key).run(
                provider_source(ADAPTER, run, client))

    def dbt_build(self) -> None:
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--select", *MODELS,
             "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
             "--target-path", str(self.tmp / "target"), "--log-path", str(self.tmp / "logs")],
            check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **self.settings.dbt_env()})

    def query(self, sql: str) -> list[tuple]:
        return query(self.settings, sql)

    def mart(self) -> dict[tuple[int, int], tuple]:
        return {(row[0], row[1]): row[2:] for row in self.query(_MART)}


def import_and_build(tmp: Path) -> Iterator[Built]:
    """The companies imported into the warehouse MONITR_* names, and the models built."""
    settings = Settings.from_env()
    control = ControlPlane.from_settings(settings)
    sandbox = EBlinqxSandbox(rate_limit=1000)
    with EmulatorServer(create_app(sandbox)) as server:
        integration_id = connect_with_api_key(
            control, control.ensure_organisation("demo", "Demo"), "default", server.url,
            sandbox.api_key)
        built = Built(settings, sandbox, control, server.url, integration_id, tmp)
        built.import_all()
        built.dbt_build()
        yield built


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    tmp = tmp_path_factory.mktemp("eblinqx_marts")
    with pytest.MonkeyPatch.context() as patch:
        for name in VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp / "monitr"))
        yield from import_and_build(tmp)


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def expected_mart(built: Built) -> dict[tuple[int, int], tuple]:
    """Every row of the mart, from the emulator's annual accounts."""
    rows = {}
    for entity_id, name in built.entities.items():
        for a in built.sandbox.company_named(name).annual_accounts():
            total, equity = _money(a["balanceSheetTotal"]), _money(a["equity"])
            before, after = _money(a["resultBeforeTax"]), _money(a["resultAfterTax"])
            solvency = (equity / total).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            rows[(entity_id, a["fiscalYear"])] = (
                "eblinqx", a["id"], date(a["fiscalYear"], 1, 1), date(a["fiscalYear"], 12, 31),
                "EUR", total, equity, _money(a["revenue"]), before, after, before - after,
                solvency, a["status"], a["status"] in ("definitief", "gedeponeerd"),
                a["status"] == "gedeponeerd", _day(a["preparedDate"]), _day(a["adoptionDate"]),
                _day(a["filingDate"]))
    return rows


def test_every_figure_per_entity_and_year_equals_the_emulators(built):
    assert built.mart() == expected_mart(built)


def test_the_per_entity_summary_counts_the_years(built):
    [figure] = [f for f in FIGURES if f.mart == "marts.fct_annual_accounts"]
    summary = {row[0]: row[1:] for row in built.query(figure.sql)}
    expected = {}
    for entity_id, name in built.entities.items():
        years = [a["fiscalYear"] for a in built.sandbox.company_named(name).annual_accounts()]
        expected[entity_id] = (len(years), min(years), max(years))
    assert summary == expected


def test_after_a_filing_an_adoption_and_a_redrawn_concept_the_mart_follows(built):
    visser = next(e for e, name in built.entities.items() if name == "Studio Visser Ontwerp")
    withdrawn = built.mart()[(visser, 2025)][1]
    # Smit files 2025, Vastgoed adopts it with revised figures, Visser's concept is withdrawn
    # and drawn up anew (another id): one row deleted, one added.
    built.sandbox.advance_to_day(4)
    built.import_all()
    built.dbt_build()
    mart = built.mart()
    assert mart == expected_mart(built)
    assert mart[(visser, 2025)][1] != withdrawn
    assert withdrawn not in {row[1] for row in mart.values()}
    assert built.query("select count(*) from raw_eblinqx.annual_accounts") == [(len(mart),)]
