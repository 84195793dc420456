-- One row per employee of every payroll provider: the salted employee key, the entity, the first and latest employment, and the department and FTE in force now. No names, initials, birth dates, addresses or employee numbers.

with employees as (

    select * from {{ ref('int_employees__unioned') }}

),

employments as (

    select
        *,
        row_number() over (
            partition by provider, entity_id, employee_source_id
            order by start_date desc, source_id desc
        ) as latest_rank,
        min(start_date) over (partition by provider, entity_id, employee_source_id)
            as first_start_date,
        count(*) over (partition by provider, entity_id, employee_source_id) as employment_count
    from {{ ref('int_employments__unioned') }}

),

departments as (

    select
        *,
        row_number() over (
            partition by provider, entity_id, employee_source_id
            order by from_month_index desc, created_at desc, source_id desc
        ) as latest_rank
    from {{ ref('int_employee_departments__unioned') }}
    where from_month_index <= cast(extract(year from current_date) as bigint) * 12
        + cast(extract(month from current_date) as bigint) - 1

),

schedules as (

    select
        *,
        row_number() over (
            partition by provider, entity_id, employee_source_id
            order by start_date desc, created_at desc, source_id desc
        ) as latest_rank
    from {{ ref('int_employee_schedules__unioned') }}
    where start_date <= current_date

),

final as (

    select
        employees.employee_key,
        employees.provider,
        employees.organisation_id,
        employees.entity_id,
        employments.first_start_date as first_employment_start_date,
        employments.start_date as employment_start_date,
        employments.end_date as employment_end_date,
        coalesce(employments.employment_count, 0) as employment_count,
        coalesce(employments.start_date <= current_date
            and (employments.end_date is null or employments.end_date >= current_date), false)
            as is_employed,
        departments.department_code as current_department_code,
        departments.department_name as current_department_name,
        schedules.fte as current_fte
    from employees
    left join employments
        on employments.provider = employees.provider
        and employments.entity_id = employees.entity_id
        and employments.employee_source_id = employees.employee_source_id
        and employments.latest_rank = 1
    left join departments
        on departments.provider = employees.provider
        and departments.entity_id = employees.entity_id
        and departments.employee_source_id = employees.employee_source_id
        and departments.latest_rank = 1
    left join schedules
        on schedules.provider = employees.provider
        and schedules.entity_id = employees.entity_id
        and schedules.employee_source_id = employees.employee_source_id
        and schedules.latest_rank = 1

)

select * from final
