-- CSV import projects as analytical axes, renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('csv_import', 'projects') }}

),

renamed as (

    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(trim(code) as {{ text }}) as source_id,
        cast('project' as {{ text }}) as axis_type,
        cast(trim(code) as {{ text }}) as code,
        cast(name as {{ text }}) as name,
        cast(is_active as boolean) as is_active,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
