-- Yuki fiscal periods (GetPeriodDateTable per year), renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('yuki', 'fiscal_periods') }}

),

renamed as (

    select
        cast('yuki' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast("year" as integer) as fiscal_year,
        cast(period_number as integer) as fiscal_period,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
