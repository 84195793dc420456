-- Horus book-year periods, renamed and cast; period 0 (the opening entries) is left out. A book year is named by the calendar year it ends in.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('horus', 'periods') }}

),

renamed as (

    select
        cast('horus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(extract(year from cast(bookyear_end_date as date)) as integer) as fiscal_year,
        cast("number" as integer) as fiscal_period,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source
    where "number" <> 0

)

select * from renamed
