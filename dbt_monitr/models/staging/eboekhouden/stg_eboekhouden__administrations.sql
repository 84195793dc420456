-- e-Boekhouden administrations (one per API token), renamed and cast; e-Boekhouden books in euro only.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('eboekhouden', 'administrations') }}

),

renamed as (

    select
        cast('eboekhouden' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(guid as {{ text }}) as source_id,
        cast(guid as {{ text }}) as administration_id,
        cast(company as {{ text }}) as administration_name,
        cast('EUR' as {{ text }}) as currency,
        cast(null as {{ text }}) as country

    from source

)

select * from renamed
