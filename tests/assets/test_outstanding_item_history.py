"""End to end: one Odoo and one Twinfield entity imported from the emulators, then dbt builds
fct_outstanding_item_history; what it says was open on a past date agrees with the providers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.warehouse import query

WORLD_PROVIDERS = ("odoo", "twinfield")  # the sandbox world this module needs

PROVIDERS = ("odoo", "twinfield")
SELECT = ("+fct_outstanding_item_history +stg_odoo__outstanding_items "
          "+stg_twinfield__outstanding_items")
HISTORY = "marts.fct_outstanding_item_history"
AS_OF = "opened_on <= ? and (settled_on is null or settled_on > ?)"


@pytest.fixture(scope="module")
def entities(world) -> dict[str, int]:
    """provider -> entity_id of the one entity imported, with the history built."""
    found = {}
    for provider in PROVIDERS:
        connection = world.connections(provider)[0]
        outcome = run_import(defs, world.instance, world.control, connection)
        assert outcome.success, (provider, outcome.run_id)
        found[provider] = connection.entity_id
    built = run_transform_job(defs, world.instance, models=dbt_models(defs, SELECT))
    assert built.success, built.error
    assert not [t for t in built.failed_tests if "outstanding_item_history" in t], built.failed_tests
    return found


def _month_ends(settings, entity_id) -> list[date]:
    [(first, last)] = query(settings, f"select min(opened_on), max(opened_on) from {HISTORY} "
                                      "where entity_id = ?", (entity_id,))
    ends, month = [], date(first.year, first.month, 1)
    while month <= last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        ends.append(following - timedelta(days=1))
        month = following
    return ends


@pytest.mark.parametrize("provider", PROVIDERS)
def test_what_is_open_now_is_unsettled_in_the_history(entities, world, provider):
    entity_id = entities[provider]
    open_now = dict(query(world.settings,
                          f"select source_id, open_amount from staging.stg_{provider}__outstanding_items "
                          "where entity_id = ?", (entity_id,)))
    history = {source_id: (settled_on, open_amount) for source_id, settled_on, open_amount in query(
        world.settings, f"select source_id, settled_on, open_amount from {HISTORY} where entity_id = ?",
        (entity_id,))}
    assert open_now, provider
    for source_id, open_amount in open_now.items():
        settled_on, history_open = history[source_id]
        assert settled_on is None, (provider, source_id)
        assert abs(history_open) == open_amount, (provider, source_id)
    settled = [s for s, _ in history.values() if s is not None]
    assert len(settled) > len(open_now) > 0, provider
    [(backwards,)] = query(world.settings, f"select count(*) from {HISTORY} where entity_id = ? "
                                           "and settled_on < opened_on", (entity_id,))
    assert backwards == 0


def test_twinfield_items_open_on_each_month_end_follow_the_match_dates(entities, world):
    entity_id = entities["twinfield"]
    raw = [row for table in ("customer_transactions", "supplier_transactions") for row in query(
        world.settings, f"select id, date, matchstatus, matchdate from raw_twinfield.{table} "
                        "where _monitr_entity_id = ?", (entity_id,))]
    assert any(status == "matched" for _, _, status, _ in raw)
    some_open_before = False
    for day in _month_ends(world.settings, entity_id):
        expected = {line_id for line_id, booked, status, matched in raw
                    if booked <= day and not (status == "matched" and matched <= day)}
        actual = {source_id for (source_id,) in query(
            world.settings, f"select source_id from {HISTORY} where entity_id = ? and {AS_OF}",
            (entity_id, day, day))}
        assert actual == expected, day
        some_open_before |= bool(actual)
    assert some_open_before


def test_odoo_aging_on_each_month_end_is_the_control_accounts_balance(entities, world):
    """Odoo books no year-opening entries, so a receivable or payable account's balance on a day is
    the sum of its lines until then; the items open that day sum to it (settled items net to 0)."""
    entity_id = entities["odoo"]
    [(reconciled,)] = query(world.settings, f"select count(distinct match_reference) from {HISTORY} "
                                            "where entity_id = ? and settled_on is not null",
                            (entity_id,))
    assert reconciled > 0
    open_on_some_day = False
    for day in _month_ends(world.settings, entity_id):
        aging = dict(query(world.settings, f"""
            select item_type, sum(amount) from {HISTORY}
            where entity_id = ? and {AS_OF} group by item_type""", (entity_id, day, day)))
        balances = dict(query(world.settings, """
            select case accounts.account_type when 'asset_receivable' then 'receivable'
                        else 'payable' end,
                   sum(case accounts.account_type when 'asset_receivable' then 1 else -1 end
                       * lines.amount)
            from staging.stg_odoo__gl_lines as lines
            join raw_odoo.accounts as accounts
              on accounts._monitr_entity_id = lines.entity_id
             and cast(accounts.id as varchar) = lines.source_account_id
            where lines.entity_id = ? and lines.booking_date <= ?
              and accounts.account_type in ('asset_receivable', 'liability_payable')
            group by 1""", (entity_id, day)))
        for item_type in ("receivable", "payable"):
            assert aging.get(item_type, Decimal(0)) == balances.get(item_type, Decimal(0)), (
                day, item_type)
        open_on_some_day |= any(aging.values())
    assert open_on_some_day
