-- Exact Online financial periods, renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'financial_periods') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(fin_year as integer) as fiscal_year,
        cast(fin_period as integer) as fiscal_period,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(modified as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
