-- Teamleader materials used on projects in the project-costs contract (int_project_costs__unioned): one row per material, its cost (quantity at unit cost) dated by its start date; the project code is the project's number (project_key).
{%- set text = dbt.type_string() %}

with materials as (

    select * from {{ monitr_source('teamleader', 'materials') }}

),

projects as (

    select * from {{ monitr_source('teamleader', 'projects') }}

),

final as (

    select
        cast('teamleader' as {{ text }}) as provider,
        cast(materials._monitr_organisation_id as bigint) as organisation_id,
        cast(materials._monitr_entity_id as bigint) as entity_id,
        cast(materials.id as {{ text }}) as source_id,
        cast(projects.department_id as {{ text }}) as administration_id,
        cast(materials.project_id as {{ text }}) as source_project_id,
        cast(projects.project_key as {{ text }}) as project_code,
        cast(materials.start_date as date) as cost_date,
        cast('material' as {{ text }}) as cost_type,
        cast(materials.title as {{ text }}) as description,
        cast(materials.quantity as decimal(18, 4)) as quantity,
        cast(materials.cost_amount as decimal(18, 2)) as amount,
        cast(upper(materials.cost_currency) as {{ text }}) as currency,
        cast(null as {{ text }}) as relation_code,
        cast(null as {{ text }}) as relation_name,
        cast(null as {{ text }}) as document_number,
        cast(null as {{ text }}) as account_code

    from materials
    left join projects
        on materials._monitr_entity_id = projects._monitr_entity_id
        and materials.project_id = projects.id

)

select * from final
