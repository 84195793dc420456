-- Exact Online project budgets from the project record, renamed and cast: budgeted hours (SalesTimeQuantity) and budgeted costs (BudgetedCosts, division currency); Exact reports an unset budget as 0, which becomes null.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'projects') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_project_id,
        cast(division as {{ text }}) as administration_id,
        cast(trim(code) as {{ text }}) as project_code,
        cast(description as {{ text }}) as project_name,
        cast(nullif(sales_time_quantity, 0) as decimal(18, 4)) as budget_hours,
        cast(nullif(budgeted_costs, 0) as decimal(18, 2)) as budget_amount

    from source

)

select * from renamed
