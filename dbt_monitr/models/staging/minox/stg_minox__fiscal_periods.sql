-- Minox fiscal periods: the periods of every fiscal year (boekjaar) from its year list, renamed and cast. Period 0 (the year's beginbalans) is not a period of the list.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('minox', 'fiscal_periods') }}

),

renamed as (

    select
        cast('minox' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(period_key as {{ text }}) as source_id,
        cast("year" as integer) as fiscal_year,
        cast(period as integer) as fiscal_period,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
