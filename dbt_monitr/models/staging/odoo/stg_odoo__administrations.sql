-- Odoo companies (res.company) as administrations, renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('odoo', 'companies') }}

),

renamed as (

    select
        cast('odoo' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(id as {{ text }}) as administration_id,
        cast(name as {{ text }}) as administration_name,
        cast(currency_name as {{ text }}) as currency,
        cast(country_code as {{ text }}) as country

    from source

)

select * from renamed
