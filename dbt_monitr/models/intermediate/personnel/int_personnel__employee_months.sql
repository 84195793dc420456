-- One row per employee in service on a month's last day, from the first month anyone was employed to this month: the department and the schedule (FTE, hours a week) in force that day. The grain of the personnel marts.
{%- set text = dbt.type_string() %}

with employments as (

    select * from {{ ref('int_employments__unioned') }}

),

departments as (

    select * from {{ ref('int_employee_departments__unioned') }}

),

schedules as (

    select * from {{ ref('int_employee_schedules__unioned') }}

),

bounds as (

    select
        min(cast(extract(year from start_date) as bigint) * 12
            + cast(extract(month from start_date) as bigint) - 1) as first_month,
        cast(extract(year from current_date) as bigint) * 12
            + cast(extract(month from current_date) as bigint) - 1 as last_month
    from employments

),

month_indexes as (

    select cast(months.month_index as bigint) as month_index
    from bounds
    cross join lateral generate_series(bounds.first_month, bounds.last_month) as months (month_index)

),

months as (

    select
        month_index,
        make_date(cast(floor(month_index / 12) as integer), cast(month_index % 12 + 1 as integer), 1)
            as month_start_date
    from month_indexes

),

month_ends as (

    select
        month_index,
        month_start_date,
        cast(month_start_date + interval '1 month' - interval '1 day' as date) as month_end_date
    from months

),

in_service as (

    select distinct
        employments.provider,
        employments.organisation_id,
        employments.entity_id,
        employments.employee_source_id,
        month_ends.month_index,
        month_ends.month_start_date,
        month_ends.month_end_date
    from employments
    inner join month_ends
        on employments.start_date <= month_ends.month_end_date
        and (employments.end_date is null or employments.end_date >= month_ends.month_end_date)

),

with_department as (

    select
        in_service.*,
        departments.department_code,
        departments.department_name,
        row_number() over (
            partition by in_service.provider, in_service.entity_id,
                in_service.employee_source_id, in_service.month_index
            order by departments.from_month_index desc, departments.created_at desc,
                departments.source_id desc
        ) as department_rank
    from in_service
    left join departments
        on departments.provider = in_service.provider
        and departments.entity_id = in_service.entity_id
        and departments.employee_source_id = in_service.employee_source_id
        and departments.from_month_index <= in_service.month_index

),

with_schedule as (

    select
        with_department.*,
        schedules.fte,
        schedules.hours_per_week,
        row_number() over (
            partition by with_department.provider, with_department.entity_id,
                with_department.employee_source_id, with_department.month_index
            order by schedules.start_date desc, schedules.created_at desc, schedules.source_id desc
        ) as schedule_rank
    from with_department
    left join schedules
        on schedules.provider = with_department.provider
        and schedules.entity_id = with_department.entity_id
        and schedules.employee_source_id = with_department.employee_source_id
        and schedules.start_date <= with_department.month_end_date
    where with_department.department_rank = 1

),

final as (

    select
        provider,
        organisation_id,
        entity_id,
        employee_source_id,
        month_index,
        month_start_date,
        month_end_date,
        cast(department_code as {{ text }}) as department_code,
        cast(department_name as {{ text }}) as department_name,
        cast(coalesce(fte, 0) as decimal(9, 4)) as fte,
        cast(hours_per_week as decimal(9, 2)) as hours_per_week
    from with_schedule
    where schedule_rank = 1

)

select * from final
