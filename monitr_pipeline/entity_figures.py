"""Per entity, the headline figure of each mart beside its accounting (revenue, CRM, personnel,
annual accounts, projects), read from the warehouse for summaries (the demo, `monitr status`).

A mart that does not exist yet (no such integration built so far) gives no figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import query


@dataclass(frozen=True)
class EntityFigure:
    """One summary column: its heading, the mart it needs, the SQL giving (entity_id, text)."""

    heading: str
    mart: str
    sql: str
    text: Callable[[tuple], str]


def money(amount: Decimal | float | None, currency: str | None) -> str:
    return f"{currency or ''} {float(amount or 0):,.0f}".strip()


FIGURES = (
    EntityFigure(
        "MRR (month)", "marts.fct_mrr_monthly", """
        with latest as (
            select entity_id, max(month_start) as month_start
            from marts.fct_mrr_monthly
            where month_start <= current_date
            group by entity_id
        )
        select m.entity_id, m.currency, sum(m.mrr_amount), min(m.month_start)
        from marts.fct_mrr_monthly as m
        inner join latest on latest.entity_id = m.entity_id and latest.month_start = m.month_start
        group by m.entity_id, m.currency
        order by m.entity_id, m.currency""",
        lambda row: f"{money(row[2], row[1])} ({row[3]:%Y-%m})"),
    EntityFigure(
        "open pipeline (weighted)", "marts.fct_deal_forecast", """
        select entity_id, company_currency, sum(open_amount), sum(weighted_amount)
        from marts.fct_deal_forecast
        group by entity_id, company_currency
        order by entity_id, company_currency""",
        lambda row: f"{money(row[2], row[1])} ({float(row[3] or 0):,.0f})"),
    EntityFigure(
        "headcount (FTE)", "marts.fct_headcount_monthly", """
        with latest as (
            select entity_id, max(month_start_date) as month_start_date
            from marts.fct_headcount_monthly
            where month_start_date <= current_date
            group by entity_id
        )
        select h.entity_id, sum(h.headcount), sum(h.fte)
        from marts.fct_headcount_monthly as h
        inner join latest on latest.entity_id = h.entity_id
            and latest.month_start_date = h.month_start_date
        group by h.entity_id
        order by h.entity_id""",
        lambda row: f"{int(row[1] or 0)} ({float(row[2] or 0):.1f})"),
    EntityFigure(
        "annual accounts", "marts.fct_annual_accounts", """
        select entity_id, count(distinct fiscal_year), min(fiscal_year), max(fiscal_year)
        from marts.fct_annual_accounts
        group by entity_id
        order by entity_id""",
        lambda row: f"{row[1]} years ({row[2]}-{row[3]})"),
    EntityFigure(
        "project hours", "marts.fct_project_hours_monthly", """
        select entity_id, sum(hours)
        from marts.fct_project_hours_monthly
        group by entity_id
        order by entity_id""",
        lambda row: f"{float(row[1] or 0):,.0f} h"),
)


def _existing_marts(settings: Settings) -> set[str]:
    return {f"{schema}.{table}" for schema, table in query(
        settings, "select table_schema, table_name from information_schema.tables "
                  "where table_schema = 'marts'")}


def entity_figures(settings: Settings, figures_asked: tuple[EntityFigure, ...] = FIGURES
                   ) -> dict[str, dict[int, str]]:
    """heading -> entity_id -> the figure as text (several currencies joined by ' + ')."""
    existing = _existing_marts(settings)
    figures: dict[str, dict[int, str]] = {}
    for figure in figures_asked:
        by_entity: dict[int, list[str]] = {}
        if figure.mart in existing:
            for row in query(settings, figure.sql):
                by_entity.setdefault(int(row[0]), []).append(figure.text(row))
        figures[figure.heading] = {entity_id: " + ".join(texts)
                                   for entity_id, texts in by_entity.items()}
    return figures
