-- Fiscal periods of every provider: one row per entity, fiscal year and period.

with periods as (

    select * from {{ ref('int_fiscal_periods__unioned') }}

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'fiscal_year', 'fiscal_period']) }} as fiscal_period_key,
        provider,
        organisation_id,
        entity_id,
        source_id,
        fiscal_year,
        fiscal_period,
        start_date,
        end_date

    from periods

)

select * from final
