-- Octopus book year periods as fiscal periods; the fiscal year is the calendar year the book year starts in.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('octopus', 'bookyear_periods') }}

),

renamed as (

    select
        cast('octopus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(extract(year from bookyear_start_date) as integer) as fiscal_year,
        cast(bookyear_period as integer) as fiscal_period,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
