"""The revenue marts built by dbt from an import of the Stripe emulator's three connected accounts,
checked against MRR, movements and revenue recomputed here in Python from the emulator's own
subscription and invoice objects (Stripe Billing's MRR definition: docs.stripe.com/billing/
subscriptions/analytics/glossary and support.stripe.com/questions/billing-analytics)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.stripe import ADAPTER
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_pipeline.warehouse import query
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.stripe import StripeSandbox, connect_with_api_key, create_app

ACCOUNTS = {"acct_1VisserOntwerp": 1, "acct_1VanLeeuwenKof": 2, "acct_1ClaesDrukkerij": 3}
MODELS = ("+fct_mrr_monthly", "+fct_mrr_movements", "+fct_customer_revenue",
          "assert_mrr_movements_sum_to_mrr_change")
VARIABLES = ("MONITR_HOME", "MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL",
              "MONITR_DAGSTER_PG_URL", "MONITR_SECRET_KEY")
CENT = Decimal("0.01")
# Stripe normalises a price to a month: a year is 12 months, a week 52/12 of a month's worth.
MONTHS_PER = {"month": Decimal(1), "year": Decimal(1) / 12, "week": Decimal(52) / 12,
              "day": Decimal(365) / 12}


def import_and_build(home: Path) -> tuple[Settings, StripeSandbox]:
    """Every connected account imported into the warehouse MONITR_* names (a few days after the
    history, with changes read from events), then `dbt build` of the revenue marts and tests."""
    settings = Settings.from_env()
    control = ControlPlane.from_settings(settings)
    sandbox = StripeSandbox(requests_per_second=1_000_000)
    with EmulatorServer(create_app(sandbox)) as server:
        integration = connect_with_api_key(control, control.ensure_organisation("d", "D"),
                                           None, server.url, sandbox.api_key)
        names = {a.external_id: a.name for a in discover(control, ADAPTER, integration)}
        for day in (0, 4):  # a full read, then one from events
            sandbox.advance_to_day(day)
            for account_id, entity_id in ACCOUNTS.items():
                run = ImportRunContext(EntityContext(1, entity_id, account_id,
                                                     f"stripe-{account_id}", names[account_id]))
                client = entity_client(ADAPTER, server.url, account_id,
                                       control.credential_store(integration))
                entity_pipeline(settings, ADAPTER.spec, run.entity.partition_key).run(
                    provider_source(ADAPTER, run, client))
    subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--select", *MODELS,
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(home / "target"), "--log-path", str(home / "logs")],
        check=True, cwd=DBT_PROJECT_DIR, env={**os.environ, **settings.dbt_env()})
    return settings, sandbox


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, StripeSandbox]]:
    home = tmp_path_factory.mktemp("stripe_marts")
    with pytest.MonkeyPatch.context() as patch:
        for name in VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("MONITR_HOME", str(home / "monitr"))
        yield import_and_build(home)


def _query(settings: Settings, sql: str) -> list[tuple]:
    return query(settings, sql)


def _month(moment: int) -> date:
    when = datetime.fromtimestamp(moment, UTC)
    return date(when.year, when.month, 1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _timestamp(month: date) -> int:
    return int(datetime(month.year, month.month, month.day, tzinfo=UTC).timestamp())


def _major(amount: int) -> Decimal:
    return Decimal(amount) / 100


def _subscription_mrr(world, sub: dict, at: int) -> Decimal:
    """One subscription's MRR at a moment: licensed items that have started, not ended, past the
    trial, normalised to a month, times quantity; a forever coupon applied."""
    if sub["trial_end"] is not None and sub["trial_end"] >= at:
        return Decimal(0)
    if sub["ended_at"] is not None and sub["ended_at"] < at:
        return Decimal(0)
    percent, amount_off, per_month = Decimal(0), Decimal(0), None
    if sub["discounts"]:
        found = world.objects[sub["discounts"][0]]
        coupon = world.objects[found["source"]["coupon"]]
        if coupon["duration"] == "forever" and found["start"] <= at and \
                (found["end"] is None or found["end"] > at):
            percent = Decimal(str(coupon["percent_off"] or 0))
            amount_off = _major(coupon["amount_off"] or 0)
    total = Decimal(0)
    counted = False
    for item in sub["items"]["data"]:
        recurring = item["price"]["recurring"]
        if recurring["usage_type"] == "metered" or max(sub["start_date"], item["created"]) >= at:
            continue
        per_month = MONTHS_PER[recurring["interval"]] / recurring["interval_count"]
        total += (_major(item["price"]["unit_amount"]) * item["quantity"] * per_month
                  * (1 - percent / 100))
        counted = True
    if not counted:
        return Decimal(0)
    return max(total - amount_off * per_month, Decimal(0))


def expected_mrr(world, as_of: int) -> dict[tuple[str, str, date], Decimal]:
    """(currency, customer, month) -> MRR at the month's end (the current month: as of now)."""
    subs = world.live("subscription")
    month = _month(min(max(s["start_date"], min(i["created"] for i in s["items"]["data"]))
                       for s in subs))
    found: dict[tuple[str, str, date], Decimal] = defaultdict(Decimal)
    while _timestamp(month) <= as_of:
        at = min(_timestamp(_next_month(month)), as_of)
        for sub in subs:
            mrr = _subscription_mrr(world, sub, at)
            if mrr:
                found[(sub["currency"].upper(), sub["customer"], month)] += mrr
        month = _next_month(month)
    return {key: value.quantize(CENT, ROUND_HALF_UP) for key, value in found.items()
            if value.quantize(CENT, ROUND_HALF_UP) > 0}


def expected_movements(mrr: dict[tuple[str, str, date], Decimal], last_month: date
                       ) -> dict[tuple[str, date], dict[str, Decimal]]:
    """(currency, month) -> movements, from each customer's month-on-month change."""
    movements: dict[tuple[str, date], dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal))
    customers = {(currency, customer) for currency, customer, _ in mrr}
    for currency, customer in customers:
        month = min(m for c, k, m in mrr if (c, k) == (currency, customer))
        previous, ever = Decimal(0), False
        while month <= last_month:
            now = mrr.get((currency, customer, month), Decimal(0))
            change = now - previous
            kind = ("reactivation" if ever else "new") if previous == 0 and now > 0 else \
                "churn" if previous > 0 and now == 0 else \
                "expansion" if change > 0 else "contraction" if change < 0 else None
            if kind:
                movements[(currency, month)][kind] += change
            ever = ever or now > 0
            previous = now
            month = _next_month(month)
    return movements


def test_mrr_per_customer_and_month_is_stripes(built):
    settings, sandbox = built
    for account_id, entity_id in ACCOUNTS.items():
        expected = expected_mrr(sandbox.world(account_id), sandbox.now())
        loaded = {(currency, customer, month): amount for currency, customer, month, amount in
                  _query(settings, f"""select currency, customer_id, month_start, mrr_amount
                                       from marts.fct_mrr_monthly
                                       where entity_id = {entity_id} and mrr_amount > 0""")}
        assert loaded.keys() == expected.keys(), account_id
        off = {k: (loaded[k], v) for k, v in expected.items() if abs(loaded[k] - v) > CENT}
        assert off == {}, account_id


def test_movements_are_the_month_on_month_changes(built):
    settings, sandbox = built
    last_month = _month(sandbox.now())
    names = ("new", "expansion", "contraction", "churn", "reactivation")
    for account_id, entity_id in ACCOUNTS.items():
        mrr = expected_mrr(sandbox.world(account_id), sandbox.now())
        expected = expected_movements(mrr, last_month)
        rows = _query(settings, f"""
            select currency, month_start, new_mrr_amount, expansion_mrr_amount,
                   contraction_mrr_amount, churn_mrr_amount, reactivation_mrr_amount,
                   opening_mrr_amount, closing_mrr_amount
            from marts.fct_mrr_movements where entity_id = {entity_id}""")
        for currency, month, *amounts, opening, closing in rows:
            wanted = expected.get((currency, month), {})
            for name, amount in zip(names, amounts, strict=True):
                assert abs(amount - wanted.get(name, Decimal(0))) <= CENT * 2, \
                    (account_id, currency, month, name)
            assert opening + sum(amounts) == closing
        kinds = {name for moves in expected.values() for name in moves}
        assert set(names) <= kinds, account_id  # the history shows every kind of movement


def test_revenue_per_customer_is_what_paid_invoices_paid(built):
    settings, sandbox = built
    for account_id, entity_id in ACCOUNTS.items():
        expected: dict[tuple, Decimal] = defaultdict(Decimal)
        for invoice in sandbox.world(account_id).live("invoice"):
            if invoice["status"] == "paid":
                key = (invoice["customer"], invoice["currency"].upper(),
                       _month(invoice["status_transitions"]["paid_at"]))
                expected[key] += _major(invoice["amount_paid"])
        loaded = {(customer, currency, month): amount for customer, currency, month, amount in
                  _query(settings, f"""select customer_id, currency, month_start, paid_amount
                                       from marts.fct_customer_revenue
                                       where entity_id = {entity_id}""")}
        assert loaded == dict(expected), account_id


def test_gbp_customers_keep_their_currency_beside_the_reporting_currency(built):
    settings, _ = built
    rows = _query(settings, """select currency, reporting_currency,
                                      count(mrr_reporting_amount), count(*)
                               from marts.fct_mrr_monthly where entity_id = 3 group by 1, 2
                               order by 1""")
    assert [(c, r) for c, r, _, _ in rows] == [("EUR", "EUR"), ("GBP", "EUR")]
    assert rows[0][2] == rows[0][3] and rows[1][2] == 0  # no exchange rates: not converted
