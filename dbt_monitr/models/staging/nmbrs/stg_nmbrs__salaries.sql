-- Nmbrs salaries over time, each from its start date: salary_type monthly (gross a month) or hourly (gross an hour). Salary values live in the personnel_salary schema only.
{{ config(schema='personnel_salary') }}
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('nmbrs', 'salaries') }}

),

renamed as (

    select
        cast('nmbrs' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(salary_id as {{ text }}) as source_id,
        cast(employee_id as {{ text }}) as employee_source_id,
        cast(start_date as date) as start_date,
        cast(lower(type) as {{ text }}) as salary_type,
        cast(value as decimal(18, 2)) as salary_amount,
        cast('EUR' as {{ text }}) as currency,
        cast(created_at as timestamp) as created_at

    from source

)

select * from renamed
