-- Hours on projects per provider x entity x project x calendar month, with their value at the registered rates in the entity's reporting currency.

with hours as (

    select * from {{ ref('int_project_hours__unioned') }}
    where project_code is not null

),

entity_currencies as (

    select * from {{ ref('int_entities__accounting_currency') }}

),

projects as (

    select * from {{ ref('int_analytical_axes__unioned') }}
    where axis_type = 'project'

),

registrations as (

    select
        hours.*,
        cast({{ dbt.date_trunc('month', 'hours.work_date') }} as date) as month_start,
        entity_currencies.currency as reporting_currency,
        -- A row without a currency is in the reporting currency; one in another currency cannot
        -- be converted (no rates) and is counted apart instead of added.
        coalesce(hours.currency = entity_currencies.currency, hours.currency is null)
            as is_in_reporting_currency

    from hours
    left join entity_currencies
        on hours.entity_id = entity_currencies.entity_id

),

monthly as (

    select
        provider,
        organisation_id,
        entity_id,
        project_code,
        month_start,
        min(reporting_currency) as currency,
        cast(sum(hours) as decimal(18, 4)) as hours,
        -- Null where the provider does not say which registrations are billable.
        cast(case when count(is_billable) > 0
            then sum(case when is_billable then hours else 0 end) end as decimal(18, 4))
            as billable_hours,
        cast(sum(case when is_in_reporting_currency then amount else 0 end) as decimal(18, 2))
            as hours_amount,
        count(*) as registration_count,
        count(distinct coalesce(source_employee_id, employee_code, employee_name)) as employee_count,
        sum(case when is_in_reporting_currency then 0 else 1 end) as other_currency_count

    from registrations
    group by provider, organisation_id, entity_id, project_code, month_start

),

final as (

    select
        {{ surrogate_key(['monthly.provider', 'monthly.entity_id', 'monthly.project_code', 'monthly.month_start']) }}
            as project_month_key,
        monthly.provider,
        monthly.organisation_id,
        monthly.entity_id,
        projects.source_id as source_project_id,
        monthly.project_code,
        projects.name as project_name,
        monthly.month_start,
        cast(extract(year from monthly.month_start) as integer) as calendar_year,
        cast(extract(month from monthly.month_start) as integer) as calendar_month,
        monthly.hours,
        monthly.billable_hours,
        monthly.hours_amount,
        monthly.currency,
        monthly.registration_count,
        monthly.employee_count,
        monthly.other_currency_count

    from monthly
    left join projects
        on monthly.provider = projects.provider
        and monthly.entity_id = projects.entity_id
        and monthly.project_code = projects.code

)

select * from final
