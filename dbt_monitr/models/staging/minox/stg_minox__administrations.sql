-- Minox administrations (one per entity: a connection covers one administration), renamed and cast. Minox is Dutch only and books in euros; its administration list names neither.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('minox', 'administrations') }}

),

renamed as (

    select
        cast('minox' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(id as {{ text }}) as administration_id,
        cast(name as {{ text }}) as administration_name,
        cast('EUR' as {{ text }}) as currency,
        cast('NL' as {{ text }}) as country

    from source

)

select * from renamed
