-- QuickBooks Online classes (axis_type cost_centre) and departments, shown as Locations (cost_unit), as analytical axes; the code is the id (QBO gives them names only).
{%- set text = dbt.type_string() %}
{%- set axes = [
    {'table': 'classes', 'axis_type': 'cost_centre'},
    {'table': 'departments', 'axis_type': 'cost_unit'},
] %}

with
{%- for axis in axes %}

{{ axis.table }} as (

    select * from {{ monitr_source('quickbooks', axis.table) }}

),
{%- endfor %}

renamed as (
{%- for axis in axes %}

    select
        cast('quickbooks' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('{{ axis.axis_type }}' as {{ text }}) as axis_type,
        cast(id as {{ text }}) as code,
        cast(coalesce(fully_qualified_name, name) as {{ text }}) as name,
        cast(active as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(meta_data_last_updated_time as timestamp with time zone) as source_modified_at

    from {{ axis.table }}
    {%- if not loop.last %}

    union all
    {%- endif %}
{%- endfor %}

)

select * from renamed
