-- The weighted forecast: per provider x entity x close month, the open deals expected to close that month, their amount and their amount weighted by their stage's probability (company currency).

with deals as (

    select * from {{ ref('fct_deals') }}

),

open_deals as (

    select * from deals
    where is_open and close_month is not null

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'close_month']) }} as deal_forecast_key,
        provider,
        organisation_id,
        entity_id,
        close_month,
        company_currency,
        count(*) as open_deal_count,
        cast(coalesce(sum(amount_company_currency), 0) as decimal(18, 2)) as open_amount,
        cast(coalesce(sum(amount_company_currency * stage_probability), 0) as decimal(18, 2))
            as weighted_amount

    from open_deals
    group by provider, organisation_id, entity_id, close_month, company_currency

)

select * from final
