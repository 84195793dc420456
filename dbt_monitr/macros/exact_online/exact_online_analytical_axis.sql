{#- Exact's CostCenters, CostUnits and Projects are one shape for reporting: code, description,
    modified. They differ only in what says whether an axis is in use: cost centres have an Active
    flag, projects a start and end date, cost units neither. -#}
{% macro exact_online_analytical_axis(table_name, axis_type, is_active='null', start_date='null',
                                      end_date='null') %}
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', table_name) }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('{{ axis_type }}' as {{ text }}) as axis_type,
        cast(trim(code) as {{ text }}) as code,
        cast(description as {{ text }}) as name,
        cast({{ is_active }} as boolean) as is_active,
        cast({{ start_date }} as date) as start_date,
        cast({{ end_date }} as date) as end_date,
        cast(modified as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
{% endmacro %}
