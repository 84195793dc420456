-- Horus folders as administrations, renamed and cast (one folder per entity).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('horus', 'folders') }}

),

renamed as (

    select
        cast('horus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(id as {{ text }}) as administration_id,
        cast(name as {{ text }}) as administration_name,
        cast(upper(currency) as {{ text }}) as currency,
        cast(upper(country) as {{ text }}) as country

    from source

)

select * from renamed
