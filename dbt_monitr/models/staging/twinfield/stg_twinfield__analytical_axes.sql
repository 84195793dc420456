-- Twinfield's analytical dimensions as analytical axes: cost centres (dimension type KPL, on a
-- line's dim2) and projects (PRJ, on dim3). Twinfield has no cost units.
{%- set text = dbt.type_string() %}

with cost_centres as (

    select *, 'cost_centre' as axis_type from {{ monitr_source('twinfield', 'cost_centres') }}

),

projects as (

    select *, 'project' as axis_type from {{ monitr_source('twinfield', 'projects') }}

),

dimensions as (

    select * from cost_centres
    union all
    select * from projects

),

renamed as (

    select
        cast('twinfield' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(code as {{ text }}) as source_id,
        cast(axis_type as {{ text }}) as axis_type,
        cast(code as {{ text }}) as code,
        cast(naam as {{ text }}) as name,
        cast(true as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from dimensions

)

select * from renamed
