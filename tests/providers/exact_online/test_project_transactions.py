"""Exact project time and cost registrations end to end against the emulator over real HTTP: a full
import through the real OAuth consent, an incremental re-import (only Timestamps after the stored
one) that sees a corrected and a removed registration without duplicating anything, and a malformed
page that names the entity, the record and the field and loads nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.exact_online import ADAPTER
from monitr_pipeline.settings import Settings
from monitr_sandbox.exact_online import SANDBOX, ExactSandbox, create_app
from monitr_sandbox.exact_online.projects import TIME
from monitr_sandbox.server import EmulatorServer

_VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
DIVISION = 131001
SYNC_PATH = "sync/Project/TimeCostTransactions"
# What an import reads for the project tables (the rest of the division is not needed here).
TABLES = ("projects", "time_cost_transactions", "divisions", "deleted_records")


@dataclass
class Connected:
    settings: Settings
    control: ControlPlane
    sandbox: ExactSandbox
    url: str
    integration_id: int

    def import_division(self) -> None:
        """One import of the division's project tables, as the engine runs it (no Dagster)."""
        external_id = str(DIVISION)
        run = ImportRunContext(EntityContext(1, 1, external_id, f"exact-{external_id}",
                                             external_id))
        client = entity_client(ADAPTER, self.url, external_id,
                               self.control.credential_store(self.integration_id),
                               label=external_id)
        pipeline = entity_pipeline(self.settings, ADAPTER.spec, run.entity.partition_key)
        pipeline.run(provider_source(ADAPTER, run, client).with_resources(*TABLES))

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as db:
            return db.execute(sql).fetchall()

    def sync_reads(self) -> list[str]:
        return [query for _, path, query in self.sandbox.request_log if path.endswith(SYNC_PATH)]

    def registrations(self) -> dict[str, tuple]:
        """The emulator's registrations as (type, project code, hours or units, amount)."""
        book = self.sandbox.feed(DIVISION).projects
        return {str(r.id): (r.kind, r.project_code, r.quantity, r.amount)
                for r in book.registrations.values()}

    def loaded(self) -> dict[str, tuple]:
        return {row[0]: row[1:] for row in self.query(
            "select id, type, project_code, quantity, amount_fc "
            "from raw_exact_online.time_cost_transactions")}


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    """The NL login's emulator, connected through the real OAuth consent."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(tmp_path_factory.mktemp("exact") / "monitr"))
        settings = Settings.from_env()
        control = ControlPlane.from_settings(settings)
        sandbox = ExactSandbox("nl", minutely_limit=10_000, daily_limit=1_000_000)
        with EmulatorServer(create_app(sandbox)) as server:
            organisation_id = control.ensure_organisation("demo", "Demo")
            integration_id = SANDBOX.connect(control, organisation_id, "nl", server.url, sandbox)
            yield Connected(settings, control, sandbox, server.url, integration_id)


def _error_chain(error: BaseException) -> str:
    texts = []
    while error is not None:
        texts.append(str(error))
        error = error.__cause__ or error.__context__
    return " | ".join(texts)


def test_full_import(connected):
    connected.sandbox.request_log.clear()
    connected.import_division()
    assert connected.loaded() == connected.registrations()
    assert connected.sync_reads() == ["$select=" + ",".join(
        ADAPTER.spec.endpoint("time_cost_transactions").columns) + "&$filter=Timestamp gt 1L"]
    # Hours are hours: quarter hours at the hour type's rate, amount = quantity x price.
    assert connected.query("""select count(*) from raw_exact_online.time_cost_transactions
                              where amount_fc <> round(quantity * price_fc, 2)""") == [(0,)]
    book = connected.sandbox.feed(DIVISION).projects
    assert connected.query("""select code, sales_time_quantity, budgeted_costs
                              from raw_exact_online.projects order by code""") == sorted(
        (code, budget.hours, budget.costs) for code, budget in book.budgets.items())


def test_reimport_reads_only_newer_timestamps_and_sees_a_change_and_a_deletion(connected):
    sandbox = connected.sandbox
    before = connected.registrations()
    high_water = connected.query(
        "select max(timestamp) from raw_exact_online.time_cost_transactions")[0][0]
    sandbox.advance_to_day(1)
    after = connected.registrations()
    [removed] = set(before) - set(after)
    [corrected] = [key for key in before if key in after and before[key] != after[key]]
    sandbox.request_log.clear()
    connected.import_division()
    assert [q.split("$filter=")[1] for q in connected.sync_reads()] == [
        f"Timestamp gt {high_water}L"]
    assert connected.loaded() == after
    assert connected.query("""select count(*), count(distinct id)
                              from raw_exact_online.time_cost_transactions""") == [
        (len(after), len(after))]
    assert after[corrected][2] == before[corrected][2] + Decimal("0.5")
    assert connected.query(f"""select entity_type from raw_exact_online.deleted_records
                               where entity_key = '{removed}'""") == [(14,)]
    # A re-import with nothing new changes nothing.
    connected.import_division()
    assert connected.loaded() == after


def test_a_malformed_page_names_entity_record_and_field_and_loads_nothing(connected):
    sandbox = connected.sandbox
    before = connected.loaded()
    sandbox.advance_to_day(2)
    victim = next(key for key, value in connected.registrations().items()
                  if key not in before and value[0] == TIME)

    def corrupt(payload: dict) -> dict:
        for row in payload["d"]["results"]:
            if row["ID"] == victim:
                row["Quantity"] = "zeven en een half"
        return payload

    sandbox.inject_fault(SYNC_PATH, None, edit=corrupt)
    with pytest.raises(Exception) as raised:
        connected.import_division()
    text = _error_chain(raised.value)
    assert f"entity '{DIVISION}'" in text
    assert f"time_cost_transactions record '{victim}': field 'Quantity'" in text
    assert connected.loaded() == before
    sandbox.faults.clear()
    connected.import_division()  # the next import reads the same rows again, well-formed
    assert connected.loaded() == connected.registrations()
