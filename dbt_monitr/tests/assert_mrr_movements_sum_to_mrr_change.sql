-- fct_mrr_movements must add up to the month-on-month change of MRR in fct_mrr_monthly per entity and currency: new + expansion + reactivation + contraction + churn = this month's MRR - last month's. Fails for every month where they differ.
-- Shown in Dagster as a check on fct_mrr_movements.
{{ config(meta={'dagster': {'ref': {'name': 'fct_mrr_movements'}}}) }}

with monthly as (

    select provider, entity_id, currency, month_start, sum(mrr_amount) as mrr_amount
    from {{ ref('fct_mrr_monthly') }}
    group by provider, entity_id, currency, month_start

),

changes as (

    select
        provider,
        entity_id,
        currency,
        month_start,
        mrr_amount - coalesce(lag(mrr_amount) over (
            partition by provider, entity_id, currency order by month_start), 0) as mrr_change

    from monthly

),

movements as (

    select
        provider,
        entity_id,
        currency,
        month_start,
        new_mrr_amount + expansion_mrr_amount + reactivation_mrr_amount
            + contraction_mrr_amount + churn_mrr_amount as movement_total

    from {{ ref('fct_mrr_movements') }}

)

select
    movements.*,
    changes.mrr_change

from movements
left join changes
    on movements.provider = changes.provider
    and movements.entity_id = changes.entity_id
    and movements.currency = changes.currency
    and movements.month_start = changes.month_start
-- A month missing from fct_mrr_monthly had no MRR and no churn: no movements either. The month
-- before a gap is a churn month (its MRR zero), so the change across a gap is from zero too.
where changes.month_start is null
    or movements.movement_total <> changes.mrr_change
