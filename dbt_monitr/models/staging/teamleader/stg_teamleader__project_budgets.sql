-- Teamleader project budgets in the project-budgets contract (int_project_budgets__unioned): the time budget in hours (Teamleader keeps seconds) and the internal (cost) budget; null where the project has none.
{%- set text = dbt.type_string() %}

with projects as (

    select * from {{ monitr_source('teamleader', 'projects') }}

),

final as (

    select
        cast('teamleader' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_project_id,
        cast(department_id as {{ text }}) as administration_id,
        cast(project_key as {{ text }}) as project_code,
        cast(title as {{ text }}) as project_name,
        cast(time_budget_value / 3600.0 as decimal(18, 4)) as budget_hours,
        cast(internal_budget_amount as decimal(18, 2)) as budget_amount

    from projects

)

select * from final
