-- Nmbrs employments over time (a re-hire is a second employment), renamed and cast; end_date is null while in service.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('nmbrs', 'employments') }}

),

renamed as (

    select
        cast('nmbrs' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(employment_id as {{ text }}) as source_id,
        cast(employee_id as {{ text }}) as employee_source_id,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(seniority_date as date) as seniority_date

    from source

)

select * from renamed
