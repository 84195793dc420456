-- Deals of every CRM provider: one row per deal not deleted, with its pipeline, stage, probability, amounts and the amount weighted by the stage's probability.

with deals as (

    select * from {{ ref('int_deals__unioned') }}

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'source_id']) }} as deal_key,
        provider,
        organisation_id,
        entity_id,
        source_id as source_deal_id,
        deal_name,
        pipeline_id,
        pipeline_name,
        stage_id,
        stage_name,
        stage_probability,
        is_closed,
        is_won,
        not is_closed as is_open,
        cast(amount as decimal(18, 2)) as amount,
        currency,
        cast(amount_company_currency as decimal(18, 2)) as amount_company_currency,
        company_currency,
        cast(amount_company_currency * stage_probability as decimal(18, 2)) as weighted_amount,
        close_date,
        cast({{ dbt.date_trunc('month', 'close_date') }} as date) as close_month,
        created_date,
        created_at,
        updated_at

    from deals

)

select * from final
