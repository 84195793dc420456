-- Pipeline value per month-end: per provider x entity x pipeline x stage and month-end, the deals open at that month-end (created on or before it, not closed on or before it), their number, amount and weighted amount (company currency). From the month of the entity's first deal to the current month.

with deals as (

    select * from {{ ref('fct_deals') }}

),

digits as (

    select 0 as digit union all select 1 union all select 2 union all select 3
    union all select 4 union all select 5 union all select 6 union all select 7
    union all select 8 union all select 9

),

month_offsets as (

    -- 0-999 months after an entity's first deal.
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as month_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds

),

entity_first_months as (

    select
        provider,
        entity_id,
        cast({{ dbt.date_trunc('month', 'min(created_date)') }} as date) as first_month
    from deals
    group by provider, entity_id

),

month_ends as (

    select
        entity_first_months.provider,
        entity_first_months.entity_id,
        cast({{ dbt.last_day(dbt.dateadd('month', 'month_offsets.month_offset', 'entity_first_months.first_month'), 'month') }} as date)
            as month_end
    from entity_first_months
    cross join month_offsets
    where {{ dbt.dateadd('month', 'month_offsets.month_offset', 'entity_first_months.first_month') }}
        <= {{ dbt.date_trunc('month', 'current_date') }}

),

open_at_month_end as (

    select
        deals.*,
        month_ends.month_end
    from deals
    inner join month_ends
        on deals.provider = month_ends.provider
        and deals.entity_id = month_ends.entity_id
        and deals.created_date <= month_ends.month_end
        and not (deals.is_closed and coalesce(deals.close_date <= month_ends.month_end, true))

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'pipeline_id', 'stage_id', 'month_end']) }}
            as pipeline_value_key,
        provider,
        organisation_id,
        entity_id,
        pipeline_id,
        pipeline_name,
        stage_id,
        stage_name,
        stage_probability,
        month_end,
        company_currency,
        count(*) as open_deal_count,
        cast(coalesce(sum(amount_company_currency), 0) as decimal(18, 2)) as open_amount,
        cast(coalesce(sum(amount_company_currency * stage_probability), 0) as decimal(18, 2))
            as weighted_amount

    from open_at_month_end
    group by
        provider, organisation_id, entity_id, pipeline_id, pipeline_name, stage_id, stage_name,
        stage_probability, month_end, company_currency

)

select * from final
