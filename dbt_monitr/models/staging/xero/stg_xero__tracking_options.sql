-- Xero tracking options as analytical axes, renamed and cast; the category's name says which axis (project, cost unit, otherwise cost centre), and the option's name is the code journal lines carry.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('xero', 'tracking_options') }}

),

renamed as (

    select
        cast('xero' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(tracking_option_id as {{ text }}) as source_id,
        -- The same rule as stg_xero__gl_lines.
        cast(
            case
                when lower(category_name) like '%project%' then 'project'
                when lower(category_name) like '%kostendrager%'
                    or lower(category_name) like '%cost unit%' then 'cost_unit'
                else 'cost_centre'
            end as {{ text }}
        ) as axis_type,
        cast(name as {{ text }}) as code,
        cast(name as {{ text }}) as name,
        cast(upper(status) = 'ACTIVE' and upper(coalesce(category_status, 'ACTIVE')) = 'ACTIVE' as boolean)
            as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
