"""The ageing and fixed-asset report marts built through the transform job from real sandbox imports
(Exact Online, Twinfield, Octopus), against what the emulators' ledgers say: the ageing buckets of
each import's open items and of each month end's outstanding items, a second import adding its own
as-of set beside the first, and the asset register's book values against the depreciation
schedules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import duckdb
import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.warehouse import query, warehouse_lock
from monitr_sandbox.ledger import open_items
from monitr_sandbox.ledger.depreciation import depreciated_until, month_end

WORLD_PROVIDERS = ("exact_online", "twinfield", "octopus")  # the sandbox world this module needs

REPORT_MODELS = ("fct_outstanding_items_ageing", "fct_fixed_asset_register")
# What the tests of the models upstream of them read besides (built with them the first time).
UPSTREAM_TESTED = ("dim_accounts", "dim_analytical_axes", "fct_entry_balances", "dim_account_mappings")
RECONCILIATION_CHECK = "assert_open_items_reconcile_with_control_accounts"
# Days past due where each bucket ends (the last one has no end).
BUCKET_ENDS = (("current", 0), ("1_30", 30), ("31_60", 60), ("61_90", 90), ("over_90", None))


@pytest.fixture(scope="module")
def built(world):
    """Every entity of the three providers imported once, and the report marts built with
    everything they read (their first build)."""
    connections = [c for provider in WORLD_PROVIDERS for c in world.connections(provider)]
    for connection in connections:
        assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    imported_on = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    _build(world)
    return connections, imported_on


def _build(world) -> None:
    """The report marts built through the transform job with everything they read, as a build
    after an import does (incremental once they exist)."""
    select = " ".join(f"+{model}" for model in REPORT_MODELS + UPSTREAM_TESTED)
    outcome = run_transform_job(defs, world.instance, models=dbt_models(defs, select))
    # Upstream, the tests of models other engineers are building may fail on the way (a model
    # they read not built yet); what this module needs is that the report marts were built and
    # their tests passed.
    assert {f"marts/{model}" for model in REPORT_MODELS} <= set(outcome.built), outcome.error
    ours = [failed for failed in outcome.failed_tests
            if any(name in failed for name in REPORT_MODELS + (RECONCILIATION_CHECK,))]
    assert not ours, ours


def _ledger(world, connection):
    emulator = world.sandbox.emulators[(connection.provider, connection.environment)]
    key = connection.external_id
    return emulator.ledger(int(key) if connection.provider == "exact_online" else key)


def _bucket(days_past_due: int) -> str:
    return next(name for name, end in BUCKET_ENDS if end is None or days_past_due <= end)


def _expected_ageing(items, as_of: date) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """(item type, bucket) -> (open amount, item count), aged from each item's due date."""
    ageing: dict[tuple[str, str], list] = defaultdict(lambda: [Decimal("0.00"), 0])
    for item in items:
        bucket = ageing[(item.kind, _bucket((as_of - item.due_date).days))]
        bucket[0] += item.amount
        bucket[1] += 1
    return {key: (amount, count) for key, (amount, count) in ageing.items()}


def _ageing(world, connection, basis: str) -> dict[date, dict[tuple[str, str], tuple[Decimal, int]]]:
    rows = query(world.settings, """
        select as_of_date, item_type, bucket, open_amount, item_count
        from marts.fct_outstanding_items_ageing
        where provider = ? and entity_id = ? and as_of_basis = ?""",
                 (connection.provider, connection.entity_id, basis))
    ageing: dict[date, dict] = defaultdict(dict)
    for as_of, item_type, bucket, amount, count in rows:
        ageing[as_of][(item_type, bucket)] = (amount, count)
    return dict(ageing)


def test_import_ageing_buckets_the_imported_open_items(world, built):
    connections, imported_on = built
    for connection in connections:
        ledger = _ledger(world, connection)
        ageing = _ageing(world, connection, "import")
        assert list(ageing) == [imported_on], connection
        assert ageing[imported_on] == _expected_ageing(ledger.open_items, imported_on), connection
    # Ageing that cannot tell buckets apart would pass the comparison only if every item were in
    # one bucket: the sandbox's items are spread over several.
    [(buckets,)] = query(world.settings, "select count(distinct bucket) from "
                                         "marts.fct_outstanding_items_ageing")
    assert buckets > 1


def test_history_ageing_at_each_month_end(world, built):
    """Twinfield says when each item was settled: what was outstanding at every month end the
    entity booked in, aged at that month end, is what the ledger had open then."""
    connections, _ = built
    twinfield = [c for c in connections if c.provider == "twinfield"]
    assert twinfield
    for connection in twinfield:
        ledger = _ledger(world, connection)
        ageing = _ageing(world, connection, "history")
        booked_months = {month_end(e.date.year, e.date.month) for e in ledger.entries.values()}
        assert set(ageing) == booked_months, connection
        for as_of in sorted(booked_months):
            expected = _expected_ageing(open_items(ledger, as_of=as_of), as_of)
            assert ageing[as_of] == expected, (connection, as_of)
    # The providers without item history have import rows only.
    others = query(world.settings, "select count(*) from marts.fct_outstanding_items_ageing "
                                   "where as_of_basis = 'history' and provider <> 'twinfield'")
    assert others == [(0,)]


def test_asset_register_follows_the_depreciation_schedule(world, built):
    """Exact links its GL lines to the assets: a row per asset and fiscal year with the year's
    charge, the accumulated depreciation and the book value booked by the year end. Octopus gives
    the current state only: one row per asset, as of its last booking day."""
    connections, _ = built
    for connection in connections:
        if connection.provider == "twinfield":
            continue  # no fixed-asset register at Twinfield (its lines name assets, its API none)
        ledger = _ledger(world, connection)
        booked_until = ledger.profile.last_booking_date
        rows = query(world.settings, """
            select asset_code, fiscal_year, as_of_basis, acquisition_value, depreciation_in_year,
                accumulated_depreciation, book_value
            from marts.fct_fixed_asset_register
            where provider = ? and entity_id = ?""", (connection.provider, connection.entity_id))
        expected = set()
        for asset in ledger.fixed_assets:
            if connection.provider == "octopus":
                accumulated = depreciated_until(asset, booked_until)
                expected.add((asset.code, ledger.fiscal_years[-1], "current", asset.purchase_value,
                              None, accumulated, asset.purchase_value - accumulated))
                continue
            for year in ledger.fiscal_years:
                year_end = date(year, 12, 31)
                if asset.purchase_date > year_end:
                    continue
                accumulated = depreciated_until(asset, min(year_end, booked_until))
                charge = accumulated - depreciated_until(asset, date(year - 1, 12, 31))
                expected.add((asset.code, year, "gl_lines", asset.purchase_value, charge,
                              accumulated, asset.purchase_value - accumulated))
        assert set(rows) == expected, connection
        assert len(rows) == len(expected)


def test_open_items_reconcile_with_the_control_accounts(world, built):
    """The check passes on the imports as they are (the sandbox reconciles by construction), and
    fails naming the entity and the difference once an open item is lost from the raw table."""
    connections, _ = built
    assert _reconciliation_failures(world) == ([], [])

    broken = next(c for c in connections if c.provider == "octopus")
    [(item_id, item_type, amount)] = query(world.settings, """
        select source_id, item_type, open_amount from marts.fct_outstanding_items
        where provider = 'octopus' and entity_id = ? order by open_amount desc limit 1""",
                                           (broken.entity_id,))
    with warehouse_lock(world.settings, "the ageing test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as connection:
        connection.execute("create table raw_octopus.lost_outstanding_item as select * from "
                           "raw_octopus.outstanding_items where id = ?", (item_id,))
        connection.execute("delete from raw_octopus.outstanding_items where id = ?", (item_id,))
    try:
        failed, rows = _reconciliation_failures(world)
        assert rows == [(broken.entity_id, "octopus", item_type, -amount)]
        [described] = failed
        assert f"entity {broken.entity_id} (octopus)" in described
        assert f"difference {-amount}" in described
    finally:
        with warehouse_lock(world.settings, "the ageing test"), \
                duckdb.connect(str(world.settings.duckdb_path)) as connection:
            connection.execute("insert into raw_octopus.outstanding_items "
                               "select * from raw_octopus.lost_outstanding_item")
            connection.execute("drop table raw_octopus.lost_outstanding_item")
    assert _reconciliation_failures(world) == ([], [])


def _reconciliation_failures(world) -> tuple[list[str], list[tuple]]:
    """Rebuild the three marts the reconciliation check reads (Dagster runs a dbt test when all
    of them are selected) and run it: its failure as Dagster describes it, and its failing rows
    (entity, provider, item type, difference) as stored by this run."""
    with warehouse_lock(world.settings, "the ageing test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as connection:
        connection.execute(f"drop table if exists audit.{RECONCILIATION_CHECK}")
    outcome = run_transform_job(defs, world.instance, models=dbt_models(
        defs, "fct_outstanding_items fct_account_balances dim_account_mappings"))
    failed = [f for f in outcome.failed_tests if RECONCILIATION_CHECK in f]
    rows = query(world.settings, f"""
        select entity_id, provider, item_type, difference from audit.{RECONCILIATION_CHECK}
        order by entity_id, item_type""")
    return failed, rows


def test_items_without_a_due_date_age_from_their_date_plus_the_default_term(world, built):
    """An import whose items carry no due date: each is aged from its invoice date plus the
    default term, and every row says how many of its items were."""
    connections, imported_on = built
    entity = next(c for c in connections if c.provider == "octopus")
    with warehouse_lock(world.settings, "the ageing test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as connection:
        # As a new import of the entity (a later load) whose items came without an expiry date.
        connection.execute("update raw_octopus.outstanding_items set expiry_date = null, "
                           "_dlt_load_id = cast(cast(_dlt_load_id as double) + 1 as varchar) "
                           "where _monitr_entity_id = ?", (entity.entity_id,))
    _build(world)

    [(term_days,)] = query(world.settings, "select distinct default_term_days "
                                           "from marts.fct_outstanding_items_ageing")
    rows = query(world.settings, """
        select item_type, bucket, open_amount, item_count, default_term_item_count
        from marts.fct_outstanding_items_ageing
        where provider = 'octopus' and entity_id = ? and as_of_basis = 'import'""",
                 (entity.entity_id,))
    items = [replace(item, due_date=item.invoice_date + timedelta(days=term_days))
             for item in _ledger(world, entity).open_items]
    expected = _expected_ageing(items, imported_on)
    assert {(t, b): (amount, count) for t, b, amount, count, _ in rows} == expected
    assert all(on_default_term == count for *_, count, on_default_term in rows)
    # Some are past due by then: ageing that left items without a due date current would fail.
    assert any(bucket != "current" for _, bucket in expected)


def test_a_second_import_adds_its_own_as_of_set(world, built):
    """A rebuild without an import adds nothing; an import (of a later day) adds that day's set
    and leaves the earlier set and the other entities' rows as they were."""
    connections, imported_on = built
    changed = next(c for c in connections if c.provider == "exact_online")
    before = _import_rows(world)
    _build(world)
    assert _import_rows(world) == before

    # The first import as made a day earlier: its raw rows stamped with a load of the day before,
    # and its set aged again from them; a later import must add its own set beside it.
    earlier = imported_on - timedelta(days=1)
    with warehouse_lock(world.settings, "the ageing test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as connection:
        for (table,) in connection.execute(
                "select table_name from information_schema.columns where table_schema = ? "
                "and column_name in ('_monitr_entity_id', '_dlt_load_id') "
                "group by table_name having count(*) = 2", (f"raw_{changed.provider}",)).fetchall():
            connection.execute(
                f"update raw_{changed.provider}.{table} set _dlt_load_id = "
                f"cast(cast(_dlt_load_id as double) - 86400 as varchar) where _monitr_entity_id = ?",
                (changed.entity_id,))
        connection.execute("delete from marts.fct_outstanding_items_ageing "
                           "where provider = ? and entity_id = ? and as_of_basis = 'import'",
                           (changed.provider, changed.entity_id))
    _build(world)
    first_set = _ageing(world, changed, "import")
    assert list(first_set) == [earlier]
    assert first_set[earlier] == _expected_ageing(_ledger(world, changed).open_items, earlier)
    before = _import_rows(world)

    emulator = world.sandbox.emulators[(changed.provider, changed.environment)]
    emulator.advance_to_day(1)  # a new invoice, and the oldest open receivable paid
    assert run_import(defs, world.instance, world.control, changed, quiet=True).success
    imported_again_on = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    _build(world)

    after = _ageing(world, changed, "import")
    assert set(after) == {earlier, imported_again_on}
    assert after[earlier] == first_set[earlier]
    ledger = _ledger(world, changed)
    assert after[imported_again_on] == _expected_ageing(ledger.open_items, imported_again_on)
    assert after[imported_again_on] != after[earlier]
    rows = _import_rows(world)
    assert {k: v for k, v in rows.items() if k[:2] != (changed.provider, changed.entity_id)} == \
        {k: v for k, v in before.items() if k[:2] != (changed.provider, changed.entity_id)}
    # And a build after that adds nothing again.
    _build(world)
    assert _import_rows(world) == rows


def _import_rows(world) -> dict[tuple, tuple]:
    """(provider, entity, as-of date, item type, bucket) -> (amount, count, import load id)."""
    return {(provider, entity_id, as_of, item_type, bucket): (amount, count, load_id)
            for provider, entity_id, as_of, item_type, bucket, amount, count, load_id in query(
                world.settings, """
                select provider, entity_id, as_of_date, item_type, bucket, open_amount, item_count,
                    import_load_id
                from marts.fct_outstanding_items_ageing where as_of_basis = 'import'""")}
