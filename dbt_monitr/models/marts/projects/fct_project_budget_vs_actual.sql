-- Each budgeted project per provider x entity: its budget (hours, amount) against what was registered on it to date (hours, hours at their rates plus other costs).

with budgets as (

    select * from {{ ref('int_project_budgets__unioned') }}
    where budget_hours is not null or budget_amount is not null

),

hours as (

    select
        provider,
        entity_id,
        project_code,
        sum(hours) as actual_hours,
        sum(hours_amount) as actual_hours_amount

    from {{ ref('fct_project_hours_monthly') }}
    group by provider, entity_id, project_code

),

costs as (

    select
        provider,
        entity_id,
        project_code,
        sum(cost_amount) as actual_cost_amount

    from {{ ref('fct_project_costs_monthly') }}
    group by provider, entity_id, project_code

),

entity_currencies as (

    select * from {{ ref('int_entities__accounting_currency') }}

),

actuals as (

    select
        budgets.provider,
        budgets.organisation_id,
        budgets.entity_id,
        budgets.source_project_id,
        budgets.project_code,
        budgets.project_name,
        cast(budgets.budget_hours as decimal(18, 4)) as budget_hours,
        cast(coalesce(hours.actual_hours, 0) as decimal(18, 4)) as actual_hours,
        cast(budgets.budget_amount as decimal(18, 2)) as budget_amount,
        cast(coalesce(hours.actual_hours_amount, 0) as decimal(18, 2)) as actual_hours_amount,
        cast(coalesce(costs.actual_cost_amount, 0) as decimal(18, 2)) as actual_cost_amount,
        entity_currencies.currency

    from budgets
    left join hours
        on budgets.provider = hours.provider
        and budgets.entity_id = hours.entity_id
        and budgets.project_code = hours.project_code
    left join costs
        on budgets.provider = costs.provider
        and budgets.entity_id = costs.entity_id
        and budgets.project_code = costs.project_code
    left join entity_currencies
        on budgets.entity_id = entity_currencies.entity_id

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'project_code']) }} as project_budget_key,
        provider,
        organisation_id,
        entity_id,
        source_project_id,
        project_code,
        project_name,
        budget_hours,
        actual_hours,
        cast(actual_hours - budget_hours as decimal(18, 4)) as hours_variance,
        budget_amount,
        actual_hours_amount,
        actual_cost_amount,
        cast(actual_hours_amount + actual_cost_amount as decimal(18, 2)) as actual_amount,
        cast(actual_hours_amount + actual_cost_amount - budget_amount as decimal(18, 2))
            as amount_variance,
        currency

    from actuals

)

select * from final
