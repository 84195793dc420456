-- Horus analytical accounts as analytical axes: the plan's type says the axis (costCentre, costUnit, project).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('horus', 'analytic_accounts') }}

),

renamed as (

    select
        cast('horus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(
            case plan_type
                when 'costUnit' then 'cost_unit'
                when 'project' then 'project'
                else 'cost_centre'
            end as {{ text }}
        ) as axis_type,
        cast(code as {{ text }}) as code,
        cast(name as {{ text }}) as name,
        cast(coalesce(is_active, true) as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(modified_at as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
