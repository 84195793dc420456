"""Currency conversion for the consolidated reports: the ECB seed (dbt_monitr/seeds/fx) against the
daily rates it was computed from, its script on a real excerpt, and int_fx_rates_monthly with its
coverage check (every booked month has a rate) built through the transform job on sandbox imports.

fixtures/ecb_eurofxref_hist_excerpt.csv holds the rows of February 2020, March 2024 and 2 April 2024
of the ECB's eurofxref-hist.csv (euro foreign exchange reference rates, units per 1 EUR,
https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip), unchanged, from the copy the seed was
built from (github.com/olegsher-ds-2025/naya_p1, commit 5bd2d5358ff74dc1224b2026c86c2002295f8622).
March 2024 ends on Maundy Thursday (the ECB publishes no rate on Good Friday or Easter Monday)."""

from __future__ import annotations

import csv
import importlib.util
import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.settings import DBT_PROJECT_DIR
from monitr_pipeline.warehouse import query, warehouse_lock

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs

FX_DIR = DBT_PROJECT_DIR / "seeds" / "fx"
SCRIPT = FX_DIR / "build_monthly_rates.py"
SEED = FX_DIR / "ecb_reference_rates_monthly.csv"
EXCERPT = Path(__file__).parent / "fixtures" / "ecb_eurofxref_hist_excerpt.csv"
CHECK = "assert_gl_lines_have_fx_rates_to_reporting_currency"
FX_MODELS = "+int_organisations__reporting_currency +int_fx_rates_monthly"
# The GL lines the check reads, and what fct_gl_lines' own tests read besides them.
GL_MODELS_AND_THEIR_TESTS_INPUTS = ("+fct_gl_lines +fct_entry_balances +dim_accounts "
                                    "+dim_analytical_axes +dim_fiscal_periods")


def _script():
    spec = importlib.util.spec_from_file_location("build_monthly_rates", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_script(path: Path) -> str:
    completed = subprocess.run([sys.executable, str(SCRIPT), str(path)], check=True,
                               capture_output=True, text=True)
    return completed.stdout


def _rows(text: str) -> dict[tuple[str, str], dict[str, str]]:
    return {(row["currency"], row["month_start"]): row for row in csv.DictReader(io.StringIO(text))}


def _excerpt_days() -> dict[str, dict[str, str]]:
    """date -> {currency: the rate as the ECB published it}, days without a rate left out."""
    with open(EXCERPT, newline="") as excerpt:
        return {row["Date"]: {c: v for c, v in row.items() if c and c != "Date" and v not in ("", "N/A")}
                for row in csv.DictReader(excerpt)}


def test_the_script_averages_each_complete_months_daily_rates():
    days = _excerpt_days()
    rows = _rows(_run_script(EXCERPT))
    currencies = _script().DEFAULT_CURRENCIES

    assert {month for _, month in rows} == {"2020-02-01", "2024-03-01"}  # April is not over yet
    assert {currency for currency, _ in rows} == set(currencies)
    for month in ("2020-02", "2024-03"):
        month_days = sorted(day for day in days if day.startswith(month))
        for currency in currencies:
            row = rows[(currency, f"{month}-01")]
            daily = [Decimal(days[day][currency]) for day in month_days]
            assert Decimal(row["average_rate"]) == pytest.approx(sum(daily) / len(daily), abs=Decimal("5e-7"))
            assert row["month_end_rate"] == days[month_days[-1]][currency]
            assert row["month_end_rate_date"] == month_days[-1]
            assert int(row["rate_days"]) == len(month_days)
    # The last rate of March 2024 is Thursday's: no reference rate on Good Friday.
    assert rows[("USD", "2024-03-01")]["month_end_rate_date"] == "2024-03-28"


def test_the_script_gives_the_same_bytes_every_run():
    assert _run_script(EXCERPT) == _run_script(EXCERPT)


def test_the_script_refuses_a_currency_the_ecb_file_lacks(tmp_path):
    with pytest.raises(ValueError, match="XTS"):
        _script().read_daily_rates(EXCERPT.read_text().splitlines(), ["USD", "XTS"])


def test_the_seed_holds_the_scripts_rows_for_the_excerpts_months():
    seed = _rows(SEED.read_text())
    from_excerpt = _rows(_run_script(EXCERPT))
    assert {key: seed[key] for key in from_excerpt} == from_excerpt


def test_the_seed_has_every_currency_in_every_month_since_january_2020():
    seed = _rows(SEED.read_text())
    months = sorted({month for _, month in seed})
    expected_months = [f"{y}-{m:02d}-01" for y in range(2020, int(months[-1][:4]) + 1) for m in range(1, 13)
                       if f"{y}-{m:02d}" <= months[-1][:7]]
    assert months == expected_months
    for currency in _script().DEFAULT_CURRENCIES:
        assert all((currency, month) in seed for month in months), currency
    assert all(Decimal(row["average_rate"]) > 0 and Decimal(row["month_end_rate"]) > 0
               for row in seed.values())


@pytest.fixture(scope="module")
def built(world):
    """The Exact entities imported, the GL lines, the reporting currencies and the rates built."""
    for connection in world.connections("exact_online"):
        assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    outcome = run_transform_job(defs, world.instance, models=dbt_models(
        defs, f"{FX_MODELS} {GL_MODELS_AND_THEIR_TESTS_INPUTS}"))
    assert outcome.success, outcome.error
    ours = [failed for failed in outcome.failed_tests if "fx" in failed or "reporting_currency" in failed]
    assert not ours, ours
    return outcome


def test_every_booked_month_has_a_rate_to_the_reporting_currency(world, built):
    # The check ran (dbt stores its failing rows, none) on lines of more than one month.
    [(failing,)] = query(world.settings, f"select count(*) from audit.{CHECK}")
    assert failing == 0
    [(booked_months, currencies)] = query(world.settings, """
        select count(distinct date_trunc('month', booking_date)), count(distinct currency)
        from marts.fct_gl_lines""")
    assert booked_months > 1 and currencies >= 1


def test_the_warehouse_rates_are_the_seeds_through_eur_to_this_month(world, built):
    seed = _rows(SEED.read_text())
    last_month = max(month for _, month in seed)
    usd, gbp = seed[("USD", last_month)], seed[("GBP", last_month)]
    [(average, month_end, carried)] = query(world.settings, """
        select average_rate, month_end_rate, months_carried_forward
        from intermediate.int_fx_rates_monthly
        where from_currency = 'GBP' and to_currency = 'USD' and month_start = ?""",
        (date.fromisoformat(last_month),))
    assert average == pytest.approx(Decimal(usd["average_rate"]) / Decimal(gbp["average_rate"]),
                                    abs=Decimal("1e-12"))
    assert month_end == pytest.approx(Decimal(usd["month_end_rate"]) / Decimal(gbp["month_end_rate"]),
                                      abs=Decimal("1e-12"))
    assert carried == 0

    today = date.today()
    this_month = date(today.year, today.month, 1)
    stale = (this_month.year - int(last_month[:4])) * 12 + this_month.month - int(last_month[5:7])
    [(usd_now, usd_carried, usd_flagged)] = query(world.settings, """
        select month_end_rate, months_carried_forward, is_rate_carried_forward
        from intermediate.int_fx_rates_monthly
        where from_currency = 'EUR' and to_currency = 'USD' and month_start = ?""", (this_month,))
    assert (usd_now, usd_carried, usd_flagged) == (Decimal(usd["month_end_rate"]), stale, stale > 0)
    euro = query(world.settings, """
        select min(month_start), max(month_start), count(*), min(average_rate), max(month_end_rate),
               max(months_carried_forward)
        from intermediate.int_fx_rates_monthly
        where from_currency = 'EUR' and to_currency = 'EUR'""")
    assert euro == [(date(2020, 1, 1), this_month, (this_month.year - 2020) * 12 + this_month.month,
                     Decimal(1), Decimal(1), 0)]


def test_the_check_names_the_entity_month_and_currency_without_a_rate(world, built):
    """A line in a currency the ECB does not quote (XTS, ISO 4217's code for testing) fails the
    check, which names it; the line is removed again afterwards."""
    with warehouse_lock(world.settings, "the fx rates test"), \
            duckdb.connect(str(world.settings.duckdb_path)) as connection:
        connection.execute("""
            insert into marts.fct_gl_lines
            select * replace ('XTS' as currency, gl_line_key || '-xts' as gl_line_key)
            from marts.fct_gl_lines
            order by booking_date desc, gl_line_key
            limit 1""")
        [(provider, organisation_id, entity_id, month)] = connection.execute("""
            select provider, organisation_id, entity_id, cast(date_trunc('month', booking_date) as date)
            from marts.fct_gl_lines where currency = 'XTS'""").fetchall()
    try:
        # The check and every model it reads: a subset runs only the tests whose every parent
        # it builds (the GL lines are incremental: the added line stays).
        outcome = run_transform_job(defs, world.instance, models=dbt_models(
            defs, "int_fx_rates_monthly int_organisations__reporting_currency fct_gl_lines"))
        failed = [test for test in outcome.failed_tests if CHECK in test]
        assert len(failed) == 1, outcome.failed_tests
        assert f"entity {entity_id} ({provider})" in failed[0]
        assert query(world.settings, f"""
            select provider, organisation_id, entity_id, currency, month, reporting_currency, line_count
            from audit.{CHECK}""") == [(provider, organisation_id, entity_id, "XTS", month, "EUR", 1)]
    finally:
        with warehouse_lock(world.settings, "the fx rates test"), \
                duckdb.connect(str(world.settings.duckdb_path)) as connection:
            connection.execute("delete from marts.fct_gl_lines where currency = 'XTS'")
