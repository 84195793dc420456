-- Headcount and FTE per entity, department and month: the employees in service on the month's last day, in the department they belonged to that day, with the FTE of their schedule that day.

with employee_months as (

    select * from {{ ref('int_personnel__employee_months') }}

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'month_start_date', 'department_code']) }}
            as headcount_month_id,
        provider,
        organisation_id,
        entity_id,
        month_start_date,
        month_end_date,
        department_code,
        max(department_name) as department_name,
        count(*) as headcount,
        cast(sum(fte) as decimal(18, 4)) as fte
    from employee_months
    group by provider, organisation_id, entity_id, month_start_date, month_end_date,
        department_code

)

select * from final
