"""The statement marts (trial balance, profit and loss, balance sheet; per entity and consolidated)
against figures computed here, independently, from each emulator's own ledger: NL entities from
Exact Online (no opening bookings after the first year: earlier results stay unclosed), BE dossiers
from Octopus (a year-opening journal every year: results closed into equity) and Twinfield."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, run_transform_job
from monitr_pipeline.warehouse import query, warehouse_lock

WORLD_PROVIDERS = ("exact_online", "octopus", "twinfield")
STATEMENTS = "fct_trial_balance fct_profit_and_loss_monthly fct_balance_sheet_monthly " \
             "fct_profit_and_loss_consolidated_monthly fct_balance_sheet_consolidated_monthly"
ZERO = Decimal("0.00")


@pytest.fixture(scope="module")
def built(world):
    """Every entity of the module's providers imported, the statements built with everything they
    read and their tests: (connection, ledger) per entity."""
    entities = []
    for provider in WORLD_PROVIDERS:
        for connection in world.connections(provider):
            assert run_import(defs, world.instance, world.control, connection, quiet=True).success
            entities.append((connection, _ledger(world, connection)))
    # The whole dbt build, as the nightly transform runs it: the statements' checks read marts
    # of every kind (open items, rates, GL lines), so a subset would leave some unbuilt.
    outcome = run_transform_job(defs, world.instance)
    assert outcome.success, outcome.error
    # The statements' checks pass (trial balance nets to zero, balance sheet balances, keys);
    # warnings on the inputs (Twinfield lines in periods it does not list) are not theirs.
    failed = [t for t in outcome.failed_tests if t.split(":")[0].split("/")[-1] in STATEMENTS.split()]
    assert not failed, failed
    return entities


def _ledger(world, connection):
    """The emulator's ledger behind an entity connection (its own books, not what was imported)."""
    for (provider, _), emulator in world.sandbox.emulators.items():
        if provider != connection.provider:
            continue
        try:
            return emulator.ledger(connection.external_id)
        except (KeyError, ValueError):
            continue
    raise LookupError(f"no emulator ledger for {connection.provider} {connection.external_id}")


def _expected_results(ledger) -> dict[date, Decimal]:
    """Per month (first day), the result of the month's profit-and-loss bookings (profit positive)."""
    results: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for entry, line in ledger.lines():
        if ledger.chart.by_code[line.account_code].balance_type == "W":
            results[entry.date.replace(day=1)] -= line.amount
    return dict(results)


def _expected_positions(ledger, month_ends: list[date]
                        ) -> dict[date, tuple[dict[str, Decimal], Decimal, Decimal]]:
    """At each month end: each balance-sheet account's balance from all bookings so far (a later
    year's opening booking only restates what came before, so it is left out), the results of
    earlier fiscal years, and the current year's result so far; debit positive."""
    first_year = ledger.fiscal_years[0]
    lines = sorted(((entry.date, entry, line) for entry, line in ledger.lines()
                    if not (entry.entry_type == "opening" and entry.fiscal_year != first_year)),
                   key=lambda booked: booked[0])
    balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
    results: dict[int, Decimal] = defaultdict(lambda: ZERO)  # per fiscal year
    positions, booked = {}, 0
    for month_end in sorted(month_ends):
        while booked < len(lines) and lines[booked][0] <= month_end:
            _, entry, line = lines[booked]
            if ledger.chart.by_code[line.account_code].balance_type == "B":
                balances[line.account_code] += line.amount
            else:
                results[entry.fiscal_year] += line.amount
            booked += 1
        earlier = sum((amount for year, amount in results.items() if year < month_end.year), ZERO)
        positions[month_end] = ({code: amount for code, amount in balances.items() if amount},
                                earlier, results.get(month_end.year, ZERO))
    return positions


def test_profit_and_loss_per_month_equals_the_ledger(world, built):
    for connection, ledger in built:
        rows = query(world.settings, f"""
            select month_start, sum(result_amount) from marts.fct_profit_and_loss_monthly
            where provider = '{connection.provider}' and entity_id = {connection.entity_id}
            group by month_start""")
        warehouse = {month: amount for month, amount in rows if amount}
        expected = {month: amount for month, amount in _expected_results(ledger).items() if amount}
        assert warehouse == expected, connection.external_name


def test_balance_sheet_accounts_and_results_equal_the_ledger(world, built):
    """Per account at every month end, and the equity the results make: this year's result, and
    earlier years' results either closed into retained earnings by an opening booking or on the
    unclosed line (together equal to the earlier years' results plus what was booked there)."""
    for connection, ledger in built:
        retained = ledger.chart.account("retained_earnings").code
        months = query(world.settings, f"""
            select distinct month_end_date from marts.fct_balance_sheet_monthly
            where provider = '{connection.provider}' and entity_id = {connection.entity_id}""")
        assert len(months) >= 12, connection.external_name
        expected_positions = _expected_positions(ledger, [month_end for (month_end,) in months])
        for (month_end,) in months:
            accounts, earlier, current = expected_positions[month_end]
            accounts = dict(accounts)
            rows = query(world.settings, f"""
                with month_periods as (
                    select max(fiscal_period) as fiscal_period, min(fiscal_year) as fiscal_year
                    from marts.fct_trial_balance
                    where provider = '{connection.provider}' and entity_id = {connection.entity_id}
                      and month_start = date '{month_end.replace(day=1)}'
                )
                select coalesce(account_code, row_type), closing_balance
                from marts.fct_trial_balance as tb
                inner join month_periods using (fiscal_year, fiscal_period)
                where provider = '{connection.provider}' and entity_id = {connection.entity_id}
                  and (statement = 'balance_sheet' or row_type <> 'account')""")
            warehouse = {code: amount for code, amount in rows if amount}
            unclosed = warehouse.pop("unclosed_result_earlier_years", ZERO)
            equity = warehouse.pop(retained, ZERO) + unclosed
            expected_equity = accounts.pop(retained, ZERO) + earlier
            assert warehouse == accounts, (connection.external_name, month_end)
            assert equity == expected_equity, (connection.external_name, month_end)
            (result,) = query(world.settings, f"""
                select balance from marts.fct_balance_sheet_monthly
                where provider = '{connection.provider}' and entity_id = {connection.entity_id}
                  and month_end_date = date '{month_end}' and line_type = 'current_year_result'""")
            assert result[0] == current, (connection.external_name, month_end)


def test_balance_sheet_per_standard_code_sums_the_mapped_accounts(world, built):
    """The balance sheet's standard-code rows hold exactly the ledger balances of the accounts
    dim_account_mappings maps to them (the mapping read from the warehouse, the amounts from the
    ledger), and the profit and loss's rows the month's bookings on them."""
    for connection, ledger in built:
        mapping = dict(query(world.settings, f"""
            select account_code, coalesce(standard_code, 'unmapped:' || report_section)
            from marts.dim_account_mappings
            where provider = '{connection.provider}' and entity_id = {connection.entity_id}"""))
        (last_month,) = query(world.settings, f"""
            select max(month_end_date) from marts.fct_balance_sheet_monthly
            where provider = '{connection.provider}' and entity_id = {connection.entity_id}""")[0]
        accounts, _, _ = _expected_positions(ledger, [last_month])[last_month]
        accounts = dict(accounts)
        retained = ledger.chart.account("retained_earnings").code
        accounts.pop(retained, None)
        expected: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for code, amount in accounts.items():
            expected[mapping.get(code, "unmapped:unmapped")] += amount
        retained_code = mapping.get(retained)
        rows = query(world.settings, f"""
            select coalesce(standard_code, 'unmapped:' || report_section), balance
            from marts.fct_balance_sheet_monthly
            where provider = '{connection.provider}' and entity_id = {connection.entity_id}
              and month_end_date = date '{last_month}' and line_type = 'account'""")
        warehouse = {code: amount for code, amount in rows if amount and code != retained_code}
        expected = {code: amount for code, amount in expected.items()
                    if amount and code != retained_code}
        assert warehouse == expected, connection.external_name


def test_balance_sheet_balances_and_consolidation_adds_up(world, built):
    """Assets equal liabilities and equity for every entity and month (the dbt test checks it
    too; this reads the totals the way a report does), and the organisation's consolidated rows
    are the sum of its entities' (all in euros here)."""
    unbalanced = query(world.settings, """
        select provider, entity_id, month_start,
               sum(case when balance_sheet_side = 'assets' then presented_amount else 0 end)
             - sum(case when balance_sheet_side = 'liabilities_and_equity'
                        then presented_amount else 0 end)
        from marts.fct_balance_sheet_monthly
        group by provider, entity_id, month_start
        having abs(sum(balance)) >= 0.01""")
    assert unbalanced == []
    per_entity = dict(query(world.settings, """
        select month_start, sum(result_amount) from marts.fct_profit_and_loss_monthly
        group by month_start"""))
    consolidated = dict(query(world.settings, """
        select month_start, sum(result_amount) from marts.fct_profit_and_loss_consolidated_monthly
        group by month_start"""))
    assert consolidated == per_entity
    totals = query(world.settings, """
        select month_start, sum(balance), count(*) filter (where line_type = 'translation_difference')
        from marts.fct_balance_sheet_consolidated_monthly group by month_start""")
    assert totals and all(total == 0 and translations == 0 for _, total, translations in totals)


def test_a_broken_ledger_fails_both_checks_naming_entity_period_and_difference(world, built):
    """One raw line of an Exact entry off by 10.00 in the warehouse: its trial balance no longer
    nets to zero from that period on, nor does its balance sheet balance from that month on; the
    checks fail, and each failing row (and the run's failed tests) names the entity, the period
    and the difference. Last in the module: it leaves the ledger broken."""
    connection, ledger = next((c, l) for c, l in built if c.provider == "exact_online")
    entry = next(e for e in ledger.entries.values()
                 if e.entry_type == "sales" and e.date.year == ledger.fiscal_years[-1]
                 and e.date.month == 3)
    with warehouse_lock(world.settings, "the broken ledger test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as warehouse:
        changed = warehouse.execute(
            # As a load would write it: a newer load id, so the incremental marts rebuild it.
            "update raw_exact_online.gl_transaction_lines "
            "set amount_dc = amount_dc + 10, _dlt_load_id = '9999999999.0' "
            "where _monitr_entity_id = ? and id = ? returning id",
            (connection.entity_id, str(entry.lines[0].id))).fetchall()
    assert len(changed) == 1

    outcome = run_transform_job(defs, world.instance)

    where = f"provider = 'exact_online' and entity_id = {connection.entity_id}"
    periods = query(world.settings, f"""
        select distinct fiscal_year, fiscal_period from marts.fct_trial_balance
        where {where} and (fiscal_year > {entry.date.year}
                           or fiscal_year = {entry.date.year} and fiscal_period >= 3)""")
    failing = query(world.settings, """
        select entity_id, fiscal_year, fiscal_period, difference
        from audit.assert_trial_balance_nets_to_zero""")
    assert sorted(failing) == sorted((connection.entity_id, year, period, Decimal("10.00"))
                                     for year, period in periods)
    months = query(world.settings, f"""
        select distinct month_start from marts.fct_balance_sheet_monthly
        where {where} and month_start >= date '{entry.date.replace(day=1)}'""")
    failing = query(world.settings, "select entity_id, month, difference "
                                    "from audit.assert_balance_sheet_balances")
    assert sorted(failing) == sorted((connection.entity_id, month, Decimal("10.00"))
                                     for (month,) in months)
    named = {test.split(": ")[1]: test for test in outcome.failed_tests}
    trial_balance = named["assert_trial_balance_nets_to_zero"]
    assert f"{len(periods)} failing rows: entity {connection.entity_id} (exact_online) " \
           f"{entry.date.year}/" in trial_balance and "difference 10.00" in trial_balance
    balance_sheet = named["assert_balance_sheet_balances"]
    assert f"{len(months)} failing rows: entity {connection.entity_id} (exact_online) " \
           f"{entry.date.year}-" in balance_sheet and "difference 10.00" in balance_sheet
