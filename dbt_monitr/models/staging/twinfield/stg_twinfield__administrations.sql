-- Twinfield offices (companies) as administrations, renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('twinfield', 'offices') }}

),

renamed as (

    select
        cast('twinfield' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(code as {{ text }}) as source_id,
        cast(code as {{ text }}) as administration_id,
        cast(naam as {{ text }}) as administration_name,
        cast(case upper(land) when 'NL' then 'EUR' when 'BE' then 'EUR' end as {{ text }}) as currency,
        cast(upper(land) as {{ text }}) as country

    from source

)

select * from renamed
