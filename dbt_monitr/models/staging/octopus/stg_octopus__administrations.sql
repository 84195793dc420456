-- Octopus dossiers as administrations, renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('octopus', 'dossiers') }}

),

renamed as (

    select
        cast('octopus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(dossier_id as {{ text }}) as source_id,
        cast(dossier_id as {{ text }}) as administration_id,
        cast(name as {{ text }}) as administration_name,
        cast(coalesce(upper(currency_code), 'EUR') as {{ text }}) as currency,
        cast(coalesce(upper(country_code), 'BE') as {{ text }}) as country

    from source

)

select * from renamed
