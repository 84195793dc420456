-- Nmbrs contracts over time with their contracted hours a week, renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('nmbrs', 'contracts') }}

),

renamed as (

    select
        cast('nmbrs' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(contract_id as {{ text }}) as source_id,
        cast(employee_id as {{ text }}) as employee_source_id,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(indefinite as boolean) as is_indefinite,
        cast(hours_per_week as decimal(9, 2)) as hours_per_week,
        cast(created_at as timestamp) as created_at

    from source

)

select * from renamed
