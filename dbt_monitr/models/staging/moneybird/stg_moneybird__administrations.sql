-- Moneybird administrations (the login's list, kept for the connected administration), renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('moneybird', 'administrations') }}

),

renamed as (

    select
        cast('moneybird' as {{ text }}) as provider,
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
