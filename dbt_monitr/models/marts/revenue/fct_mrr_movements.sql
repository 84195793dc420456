-- MRR movements per entity, currency and month: new, expansion, reactivation (positive), contraction and churn (negative), which add up to the month-on-month change of MRR.

with customer_months as (

    select * from {{ ref('fct_mrr_monthly') }}

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'currency', 'month_start']) }} as mrr_movement_id,
        provider,
        organisation_id,
        entity_id,
        month_start,
        currency,
        max(reporting_currency) as reporting_currency,
        sum(previous_mrr_amount) as opening_mrr_amount,
        sum(case when movement_type = 'new' then mrr_change else 0 end) as new_mrr_amount,
        sum(case when movement_type = 'expansion' then mrr_change else 0 end) as expansion_mrr_amount,
        sum(case when movement_type = 'contraction' then mrr_change else 0 end) as contraction_mrr_amount,
        sum(case when movement_type = 'churn' then mrr_change else 0 end) as churn_mrr_amount,
        sum(case when movement_type = 'reactivation' then mrr_change else 0 end) as reactivation_mrr_amount,
        sum(mrr_amount) as closing_mrr_amount,
        count(case when mrr_amount > 0 then 1 end) as customer_count,
        count(case when movement_type = 'new' then 1 end) as new_customer_count,
        count(case when movement_type = 'churn' then 1 end) as churned_customer_count

    from customer_months
    group by provider, organisation_id, entity_id, month_start, currency

)

select * from final
