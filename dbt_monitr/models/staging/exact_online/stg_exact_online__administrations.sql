-- Exact Online divisions as administrations (the provider's bookkeeping unit behind an entity), renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'divisions') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(code as {{ text }}) as source_id,
        cast(code as {{ text }}) as administration_id,
        cast(description as {{ text }}) as administration_name,
        cast(upper(currency) as {{ text }}) as currency,
        cast(upper(country) as {{ text }}) as country

    from source

)

select * from renamed
