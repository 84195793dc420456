-- Teamleader deals in the deal contract (int_deals__unioned): an open deal sits in its current phase; a won or lost one in its pipeline's "won" or "lost" stage (stg_teamleader__deal_stages). amount is estimated_value in the deal's currency; the company currency is the department's. The close date is the day a closed deal was closed, else its estimated closing date; dates are calendar days in Brussels (Teamleader Focus is Belgian; its users' time zone).
{%- set text = dbt.type_string() %}

with deals as (

    select * from {{ monitr_source('teamleader', 'deals') }}

),

departments as (

    select * from {{ ref('stg_teamleader__departments') }}

),

renamed as (

    select
        cast('teamleader' as {{ text }}) as provider,
        cast(deals._monitr_organisation_id as bigint) as organisation_id,
        cast(deals._monitr_entity_id as bigint) as entity_id,
        cast(deals.id as {{ text }}) as source_id,
        cast(deals.id as {{ text }}) as deal_id,
        cast(deals.title as {{ text }}) as deal_name,
        cast(deals.pipeline_id as {{ text }}) as pipeline_id,
        cast(case when deals.status in ('won', 'lost') then deals.status
                  else deals.current_phase_id end as {{ text }}) as stage_id,
        cast(deals.estimated_value_amount as decimal(18, 2)) as amount,
        cast(upper(coalesce(deals.estimated_value_currency, departments.currency)) as {{ text }})
            as currency,
        cast(case when upper(coalesce(deals.estimated_value_currency, departments.currency))
                       = departments.currency
                  then deals.estimated_value_amount end as decimal(18, 2))
            as amount_company_currency,
        cast(departments.currency as {{ text }}) as company_currency,
        cast(case when deals.status in ('won', 'lost')
                  then cast(cast(deals.closed_at at time zone 'Europe/Brussels' as timestamp) as date)
                  else deals.estimated_closing_date end as date) as close_date,
        cast(cast(deals.created_at at time zone 'Europe/Brussels' as timestamp) as date)
            as created_date,
        cast(deals.created_at as timestamp with time zone) as created_at,
        cast(deals.updated_at as timestamp with time zone) as updated_at,
        cast(deals.responsible_user_id as {{ text }}) as owner_id,
        cast(null as {{ text }}) as deal_type

    from deals
    left join departments
        on deals._monitr_entity_id = departments.entity_id

)

select * from renamed
