-- Nmbrs working schedules over time, each from its start date: FTE is the part-time percentage / 100.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('nmbrs', 'schedules') }}

),

renamed as (

    select
        cast('nmbrs' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(schedule_id as {{ text }}) as source_id,
        cast(employee_id as {{ text }}) as employee_source_id,
        cast(start_date as date) as start_date,
        cast(parttime_percentage * 0.01 as decimal(9, 4)) as fte,
        cast(hours_per_week as decimal(9, 2)) as hours_per_week,
        cast(created_at as timestamp) as created_at

    from source

)

select * from renamed
