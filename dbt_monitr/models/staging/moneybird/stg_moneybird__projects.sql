-- Moneybird projects (its only analytical dimension) as analytical axes; projects have no code or dates, so the name is the code.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('moneybird', 'projects') }}

),

renamed as (

    select
        cast('moneybird' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('project' as {{ text }}) as axis_type,
        cast(name as {{ text }}) as code,
        cast(name as {{ text }}) as name,
        cast(state = 'active' as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
