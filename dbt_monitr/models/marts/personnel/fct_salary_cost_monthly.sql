-- Salary cost per entity, department and month (personnel_salary schema only): for each employee in service on the month's last day, the salary in force that day; a monthly salary counts as it is, an hourly one times the schedule's hours a week times 4.33 weeks, rounded to cents.
{{ config(schema='personnel_salary') }}

with employee_months as (

    select * from {{ ref('int_personnel__employee_months') }}

),

salaries as (

    select * from {{ ref('int_employee_salaries__unioned') }}

),

salary_in_force as (

    select
        employee_months.*,
        salaries.salary_type,
        salaries.salary_amount,
        salaries.currency,
        row_number() over (
            partition by employee_months.provider, employee_months.entity_id,
                employee_months.employee_source_id, employee_months.month_index
            order by salaries.start_date desc, salaries.created_at desc, salaries.source_id desc
        ) as salary_rank
    from employee_months
    inner join salaries
        on salaries.provider = employee_months.provider
        and salaries.entity_id = employee_months.entity_id
        and salaries.employee_source_id = employee_months.employee_source_id
        and salaries.start_date <= employee_months.month_end_date

),

monthly_cost as (

    select
        *,
        case
            when salary_type = 'hourly'
                then round(salary_amount * coalesce(hours_per_week, 0) * 4.33, 2)
            else salary_amount
        end as salary_cost
    from salary_in_force
    where salary_rank = 1

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'month_start_date', 'department_code',
                          'currency']) }} as salary_cost_month_id,
        provider,
        organisation_id,
        entity_id,
        month_start_date,
        month_end_date,
        department_code,
        max(department_name) as department_name,
        currency,
        count(*) as salaried_headcount,
        cast(sum(salary_cost) as decimal(18, 2)) as salary_cost
    from monthly_cost
    group by provider, organisation_id, entity_id, month_start_date, month_end_date,
        department_code, currency

)

select * from final
