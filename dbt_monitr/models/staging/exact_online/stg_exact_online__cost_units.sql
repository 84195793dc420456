-- Exact Online cost units as analytical axes, renamed and cast (Exact has no active flag for them).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'cost_units') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('cost_unit' as {{ text }}) as axis_type,
        cast(trim(code) as {{ text }}) as code,
        cast(description as {{ text }}) as name,
        cast(null as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(modified as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
