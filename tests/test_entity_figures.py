"""The summary figures beside the accounting, read from marts of the columns the marts have:
the latest month's MRR and headcount, open pipeline, annual-accounts years, project hours; a mart
not built yet gives no figures."""

from datetime import date

import duckdb

from monitr_pipeline.entity_figures import entity_figures


def test_figures_per_entity_from_the_marts(settings):
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.duckdb_path)) as db:
        db.execute("create schema marts")
        db.execute("create table marts.fct_mrr_monthly (entity_id bigint, month_start date, "
                   "customer_id text, currency text, mrr_amount decimal(18,2))")
        db.executemany("insert into marts.fct_mrr_monthly values (?, ?, ?, ?, ?)", [
            (1, date(2026, 10, 1), "c1", "EUR", 100), (1, date(2026, 11, 1), "c1", "EUR", 120),
            (1, date(2026, 11, 1), "c2", "EUR", 30), (1, date(2026, 11, 1), "c3", "GBP", 40),
            (2, date(2026, 11, 1), "c9", "USD", 1000),
            (1, date(2999, 1, 1), "c1", "EUR", 999)])  # a month to come is not the latest
        db.execute("create table marts.fct_headcount_monthly (entity_id bigint, department text, "
                   "month_start_date date, headcount bigint, fte decimal(9,2))")
        db.executemany("insert into marts.fct_headcount_monthly values (?, ?, ?, ?, ?)", [
            (3, "sales", date(2026, 10, 1), 4, 3.5), (3, "sales", date(2026, 11, 1), 5, 4.5),
            (3, "ops", date(2026, 11, 1), 2, 1.0)])
    figures = entity_figures(settings)
    assert figures["MRR (month)"] == {1: "EUR 150 (2026-11) + GBP 40 (2026-11)",
                                      2: "USD 1,000 (2026-11)"}
    assert figures["headcount (FTE)"] == {3: "7 (5.5)"}
    assert figures["open pipeline (weighted)"] == {} and figures["project hours"] == {}
