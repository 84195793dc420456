"""Per accounting entity, the headline figures of the reporting tables (marts/reports): the share
of its accounts mapped on a standard chart, the latest month's result, the balance-sheet total,
and whether its trial balance and balance sheet tie out; for summaries (the demo)."""

from __future__ import annotations

from monitr_pipeline.entity_figures import EntityFigure, entity_figures, money
from monitr_pipeline.settings import Settings

REPORT_FIGURES = (
    EntityFigure(
        "accounts mapped", "marts.dim_account_mappings", """
        select entity_id, min(standard_chart), count(*) filter (where is_mapped), count(*)
        from marts.dim_account_mappings
        group by entity_id
        order by entity_id""",
        lambda row: f"{100 * row[2] / row[3]:.0f}% of {row[3]} ({row[1] or '-'})"),
    EntityFigure(
        "result (latest month)", "marts.fct_profit_and_loss_monthly", """
        with latest as (
            select entity_id, max(month_start) as month_start
            from marts.fct_profit_and_loss_monthly
            where month_start <= current_date
            group by entity_id
        )
        select p.entity_id, p.currency, sum(p.result_amount), min(p.month_start)
        from marts.fct_profit_and_loss_monthly as p
        inner join latest on latest.entity_id = p.entity_id and latest.month_start = p.month_start
        group by p.entity_id, p.currency
        order by p.entity_id, p.currency""",
        lambda row: f"{money(row[2], row[1])} ({row[3]:%Y-%m})"),
    EntityFigure(
        "balance sheet total", "marts.fct_balance_sheet_monthly", """
        with latest as (
            select entity_id, max(month_start) as month_start
            from marts.fct_balance_sheet_monthly
            where month_start <= current_date
            group by entity_id
        )
        select b.entity_id, b.currency,
               sum(case when b.balance_sheet_side = 'assets' then b.presented_amount else 0 end)
        from marts.fct_balance_sheet_monthly as b
        inner join latest on latest.entity_id = b.entity_id and latest.month_start = b.month_start
        group by b.entity_id, b.currency
        order by b.entity_id, b.currency""",
        lambda row: money(row[2], row[1])),
    EntityFigure(
        # The dbt tests assert_trial_balance_nets_to_zero and assert_balance_sheet_balances
        # fail the build on these; here they are counted per entity for the summary.
        "ties out", "marts.fct_trial_balance", """
        with periods as (
            select entity_id, fiscal_year, fiscal_period,
                   abs(sum(closing_balance)) + abs(sum(movement)) as difference
            from marts.fct_trial_balance
            group by entity_id, fiscal_year, fiscal_period
        )
        select entity_id, count(*), count(*) filter (where difference >= 0.01)
        from periods
        group by entity_id
        order by entity_id""",
        lambda row: "yes" if not row[2] else f"NO: {row[2]} of {row[1]} periods"),
)


def report_figures(settings: Settings) -> dict[str, dict[int, str]]:
    """heading -> entity_id -> the figure as text."""
    return entity_figures(settings, REPORT_FIGURES)
