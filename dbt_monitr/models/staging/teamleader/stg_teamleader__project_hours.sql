-- Teamleader time tracked on projects in the project-hours contract (int_project_hours__unioned): one row per time entry, its duration in hours, valued at its hourly rate; the project code is the project's number (project_key) and the administration the project's department.
{%- set text = dbt.type_string() %}

with entries as (

    select * from {{ monitr_source('teamleader', 'time_tracking') }}

),

projects as (

    select * from {{ monitr_source('teamleader', 'projects') }}

),

final as (

    select
        cast('teamleader' as {{ text }}) as provider,
        cast(entries._monitr_organisation_id as bigint) as organisation_id,
        cast(entries._monitr_entity_id as bigint) as entity_id,
        cast(entries.id as {{ text }}) as source_id,
        cast(projects.department_id as {{ text }}) as administration_id,
        cast(entries.project_id as {{ text }}) as source_project_id,
        cast(projects.project_key as {{ text }}) as project_code,
        cast(entries.started_on as date) as work_date,
        cast(entries.user_id as {{ text }}) as source_employee_id,
        cast(null as {{ text }}) as employee_code,
        cast(null as {{ text }}) as employee_name,
        cast(entries.work_type_id as {{ text }}) as activity,
        cast(entries.duration / 3600.0 as decimal(18, 4)) as hours,
        cast(entries.hourly_rate_amount as decimal(18, 2)) as hourly_rate,
        cast(round(entries.duration / 3600.0 * entries.hourly_rate_amount, 2) as decimal(18, 2))
            as amount,
        cast(upper(entries.hourly_rate_currency) as {{ text }}) as currency,
        cast(entries.invoiceable as boolean) as is_billable,
        cast(entries.description as {{ text }}) as description

    from entries
    left join projects
        on entries._monitr_entity_id = projects._monitr_entity_id
        and entries.project_id = projects.id

)

select * from final
