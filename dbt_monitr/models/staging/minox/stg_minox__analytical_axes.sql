-- Minox's two analytical dimensions as analytical axes: cost centres (kostenplaatsen) on the cost_centre axis and cost types (kostendragers) on the cost_unit axis, as the GL lines' cost_centre_code and cost_unit_code refer to them.
{%- set text = dbt.type_string() %}

with cost_centers as (

    select *, 'cost_centre' as axis_type from {{ monitr_source('minox', 'cost_centers') }}

),

cost_types as (

    select *, 'cost_unit' as axis_type from {{ monitr_source('minox', 'cost_types') }}

),

dimensions as (

    select * from cost_centers
    union all
    select * from cost_types

),

renamed as (

    select
        cast('minox' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(axis_type || '/' || id as {{ text }}) as source_id,
        cast(axis_type as {{ text }}) as axis_type,
        cast(id as {{ text }}) as code,
        cast(description as {{ text }}) as name,
        cast(true as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from dimensions

)

select * from renamed
