-- Yuki projects (GetProjectsAndID) as analytical axes; Yuki's API has no cost centres or cost units. A project with an end date is no longer active.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('yuki', 'projects') }}

),

renamed as (

    select
        cast('yuki' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('project' as {{ text }}) as axis_type,
        cast(code as {{ text }}) as code,
        cast(description as {{ text }}) as name,
        cast(end_date is null as boolean) as is_active,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
