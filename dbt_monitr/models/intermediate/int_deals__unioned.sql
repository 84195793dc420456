-- Deals of every CRM provider, each with its pipeline's and stage's name, the stage's probability and whether the stage closes the deal (won or lost).

with deals as (

    {{ union_providers([
        'stg_hubspot__deals',
    'stg_teamleader__deals',
    ]) }}

),

stages as (

    select * from {{ ref('int_deal_stages__unioned') }}

),

final as (

    select
        deals.provider,
        deals.organisation_id,
        deals.entity_id,
        deals.source_id,
        deals.deal_id,
        deals.deal_name,
        deals.pipeline_id,
        stages.pipeline_name,
        deals.stage_id,
        stages.stage_name,
        stages.stage_probability,
        coalesce(stages.is_closed, false) as is_closed,
        coalesce(stages.is_won, false) as is_won,
        deals.amount,
        deals.currency,
        deals.amount_company_currency,
        deals.company_currency,
        deals.close_date,
        deals.created_date,
        deals.created_at,
        deals.updated_at

    from deals
    left join stages
        on deals.provider = stages.provider
        and deals.entity_id = stages.entity_id
        and deals.pipeline_id = stages.pipeline_id
        and deals.stage_id = stages.stage_id

)

select * from final
