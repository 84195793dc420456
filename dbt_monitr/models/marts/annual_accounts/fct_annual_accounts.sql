-- Annual accounts per entity and fiscal year: balance-sheet total, equity, revenue and results, the filing status (concept, definitief, gedeponeerd) and the date each stage was reached. When an entity's year comes from more than one source, the furthest along (then the latest changed) counts.

with annual_accounts as (

    select
        *,
        case filing_status
            when 'gedeponeerd' then 3
            when 'definitief' then 2
            else 1
        end as filing_stage
    from {{ ref('int_annual_accounts__unioned') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by entity_id, fiscal_year
            order by filing_stage desc, modified_at desc, provider, source_id
        ) as year_rank
    from annual_accounts

),

final as (

    select
        {{ surrogate_key(['entity_id', 'fiscal_year']) }} as annual_accounts_key,
        provider,
        organisation_id,
        entity_id,
        source_id,
        fiscal_year,
        period_start_date,
        period_end_date,
        currency,
        balance_sheet_total,
        equity,
        revenue,
        result_before_tax,
        result_after_tax,
        result_before_tax - result_after_tax as tax_amount,
        case when balance_sheet_total <> 0
            then cast(equity / balance_sheet_total as decimal(18, 4)) end as solvency_ratio,
        filing_status,
        filing_status in ('definitief', 'gedeponeerd') as is_adopted,
        filing_status = 'gedeponeerd' as is_filed,
        prepared_date,
        adopted_date,
        filed_date,
        modified_at
    from ranked
    where year_rank = 1

)

select * from final
