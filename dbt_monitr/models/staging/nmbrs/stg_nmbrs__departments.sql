-- Nmbrs departments over time: each record applies from its monthly payroll period on (period_index = year * 12 + period - 1, as a month index).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('nmbrs', 'departments') }}

),

renamed as (

    select
        cast('nmbrs' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(department_record_key as {{ text }}) as source_id,
        cast(employee_id as {{ text }}) as employee_source_id,
        cast(code as {{ text }}) as department_code,
        cast(description as {{ text }}) as department_name,
        cast(period_year * 12 + period_period - 1 as bigint) as from_month_index,
        cast(created_at as timestamp) as created_at

    from source

)

select * from renamed
