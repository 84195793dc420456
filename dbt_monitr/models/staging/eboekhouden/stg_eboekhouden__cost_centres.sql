-- e-Boekhouden cost centres as analytical axes, renamed and cast; they have no code, so the id is the code (as on GL lines).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('eboekhouden', 'cost_centers') }}

),

renamed as (

    select
        cast('eboekhouden' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('cost_centre' as {{ text }}) as axis_type,
        cast(id as {{ text }}) as code,
        cast(description as {{ text }}) as name,
        cast(active as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
