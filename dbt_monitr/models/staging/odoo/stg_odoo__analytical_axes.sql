-- Odoo analytic accounts as analytical axes; the plan says the axis type (a Projects plan: project, a cost-unit plan: cost_unit, any other plan: cost_centre).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('odoo', 'analytic_accounts') }}

),

renamed as (

    select
        cast('odoo' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(
            case
                when lower(plan_name) like '%project%' then 'project'
                when lower(plan_name) like '%unit%' or lower(plan_name) like '%kostendrager%'
                    then 'cost_unit'
                else 'cost_centre'
            end as {{ text }}
        ) as axis_type,
        cast(coalesce(nullif(trim(code), ''), cast(id as {{ text }})) as {{ text }}) as code,
        cast(name as {{ text }}) as name,
        cast(active as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
