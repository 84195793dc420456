-- Xero organisations as administrations (the provider's bookkeeping unit behind an entity), renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('xero', 'organisation') }}

),

renamed as (

    select
        cast('xero' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(organisation_id as {{ text }}) as source_id,
        cast(organisation_id as {{ text }}) as administration_id,
        cast(name as {{ text }}) as administration_name,
        cast(upper(base_currency) as {{ text }}) as currency,
        cast(upper(country_code) as {{ text }}) as country

    from source

)

select * from renamed
