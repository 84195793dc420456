-- Open items reconcile with their control accounts: for every entity with imported open items, at its latest fiscal period with GL bookings, the open receivables (payables) in fct_outstanding_items equal the closing balance of the accounts dim_account_mappings maps to the receivables (payables) report section (payables' credit balance as a positive amount), within max(1.00, 0.5% of the balance); one row per entity and item type that does not.
-- Shown in Dagster as a check on fct_outstanding_items.
{#-
    Severity error: the sandbox ledgers reconcile by construction (monitr_sandbox/ledger/openitems.py
    derives the open items from the control-account lines), so a difference is a fault in an
    import, a staging model or the mapping. Entities without any open item are left out: their
    provider may have no open-items endpoint, and with nothing open there is nothing to tell apart
    from an import that read none. A build that made only some of the three marts it reads (dbt runs
    it when any of them is selected) compares nothing (relations_built).
-#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_outstanding_items'}}}) }}
{%- set inputs_built = relations_built([ref('fct_outstanding_items'), ref('fct_account_balances'),
                                        ref('dim_account_mappings')]) %}
{%- set text = dbt.type_string() %}

{%- if not inputs_built %}

select
    cast(null as bigint) as entity_id,
    cast(null as {{ text }}) as provider,
    cast(null as integer) as fiscal_year,
    cast(null as integer) as fiscal_period,
    cast(null as {{ text }}) as item_type,
    cast(null as decimal(18, 2)) as open_items_amount,
    cast(null as decimal(18, 2)) as control_account_balance,
    cast(null as decimal(18, 2)) as difference,
    cast(null as decimal(18, 2)) as tolerance
where 1 = 0

{%- else %}

with outstanding_items as (

    select * from {{ ref('fct_outstanding_items') }}

),

account_balances as (

    select * from {{ ref('fct_account_balances') }}

),

account_mappings as (

    select * from {{ ref('dim_account_mappings') }}

),

item_types as (

    select 'receivable' as item_type, 'receivables' as report_section, 1 as balance_sign
    union all
    select 'payable', 'payables', -1

),

entities_with_items as (

    select distinct provider, entity_id
    from outstanding_items

),

open_items as (

    select
        provider,
        entity_id,
        item_type,
        sum(open_amount) as open_items_amount

    from outstanding_items
    group by provider, entity_id, item_type

),

latest_periods as (

    select provider, entity_id, fiscal_year, fiscal_period
    from (
        select
            provider,
            entity_id,
            fiscal_year,
            fiscal_period,
            row_number() over (
                partition by provider, entity_id
                order by fiscal_year desc, fiscal_period desc
            ) as recency

        from (
            select distinct provider, entity_id, fiscal_year, fiscal_period
            from account_balances
        ) as periods
    ) as ranked
    where recency = 1

),

-- The control accounts' closing balance at the latest period, positive like the open items.
control_balances as (

    select
        balances.provider,
        balances.entity_id,
        item_types.item_type,
        sum(item_types.balance_sign * balances.closing_balance) as control_account_balance

    from account_balances as balances
    inner join latest_periods
        on balances.provider = latest_periods.provider
        and balances.entity_id = latest_periods.entity_id
        and balances.fiscal_year = latest_periods.fiscal_year
        and balances.fiscal_period = latest_periods.fiscal_period
    inner join account_mappings as mappings
        on balances.provider = mappings.provider
        and balances.entity_id = mappings.entity_id
        and balances.account_code = mappings.account_code
    inner join item_types
        on mappings.report_section = item_types.report_section
    group by balances.provider, balances.entity_id, item_types.item_type

),

compared as (

    select
        entities.entity_id,
        entities.provider,
        latest_periods.fiscal_year,
        latest_periods.fiscal_period,
        item_types.item_type,
        coalesce(open_items.open_items_amount, 0) as open_items_amount,
        coalesce(control_balances.control_account_balance, 0) as control_account_balance

    from entities_with_items as entities
    inner join latest_periods
        on entities.provider = latest_periods.provider
        and entities.entity_id = latest_periods.entity_id
    cross join item_types
    left join open_items
        on entities.provider = open_items.provider
        and entities.entity_id = open_items.entity_id
        and item_types.item_type = open_items.item_type
    left join control_balances
        on entities.provider = control_balances.provider
        and entities.entity_id = control_balances.entity_id
        and item_types.item_type = control_balances.item_type

),

final as (

    select
        entity_id,
        provider,
        fiscal_year,
        fiscal_period,
        item_type,
        cast(open_items_amount as decimal(18, 2)) as open_items_amount,
        cast(control_account_balance as decimal(18, 2)) as control_account_balance,
        cast(open_items_amount - control_account_balance as decimal(18, 2)) as difference,
        cast(
            case
                when abs(control_account_balance) * 0.005 > 1.00 then abs(control_account_balance) * 0.005
                else 1.00
            end as decimal(18, 2)
        ) as tolerance

    from compared

)

select * from final
where abs(difference) > tolerance

{%- endif %}
