-- One row per provider x entity x account x fiscal period with bookings: the balance before the period, the period's movement and the closing balance; a year's opening entries and the previous year's carried-forward closing never both count.
{#-
    A year's opening balance is counted once, from one of two places:
      - the year's own opening entries (is_opening_entry: Octopus's year-opening journal, Twinfield's
        period 0, Exact's opening balance entries), when the entity booked any in that year: they
        are the accountant's own carry-forward, the previous year's result already closed into
        equity; the previous year's closing is then not added;
      - otherwise, for balance-sheet accounts, the previous year's closing carried forward (and
        so on back to the last year that had opening entries, or the first year imported); a
        profit-and-loss account starts the year at zero.
    So balance-sheet balances run on from the last year whose opening was booked. Until a year's
    opening entries are booked, the previous years' results stay on their profit-and-loss accounts
    and are not yet part of equity.
    Incremental per provider x entity like fct_gl_lines (macros/entity_incremental.sql).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['provider', 'entity_id'],
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_rebuilt_entities(ref('int_gl_lines__entity_inputs')) }}",
) }}

with lines as (

    {{ gl_lines_to_build() }}

),

accounts as (

    select
        provider,
        entity_id,
        account_code,
        min(statement) as statement

    from {{ ref('int_accounts__unioned') }}
    group by provider, entity_id, account_code

),

per_period as (

    select
        provider,
        organisation_id,
        entity_id,
        account_code,
        fiscal_year,
        fiscal_period,
        sum(case when is_opening_entry then amount else 0 end) as opening_entries_amount,
        sum(case when is_opening_entry then 0 else amount end) as movement,
        sum(case when is_opening_entry then 0 else debit_amount end) as debit_movement,
        sum(case when is_opening_entry then 0 else credit_amount end) as credit_movement

    from lines
    group by provider, organisation_id, entity_id, account_code, fiscal_year, fiscal_period

),

entities as (

    select
        provider,
        entity_id,
        min(currency) as currency,
        min(entity_inputs_load_id) as entity_inputs_load_id,
        min(entity_inputs_fingerprint) as entity_inputs_fingerprint

    from lines
    group by provider, entity_id

),

-- Every period the entity booked in, for every account it booked on: a balance exists in
-- periods without movements on the account too.
entity_periods as (

    select distinct provider, entity_id, fiscal_year, fiscal_period
    from per_period

),

entity_accounts as (

    select distinct provider, organisation_id, entity_id, account_code
    from per_period

),

years_with_opening_entries as (

    select distinct provider, entity_id, fiscal_year
    from lines
    where is_opening_entry

),

grid as (

    select
        entity_accounts.provider,
        entity_accounts.organisation_id,
        entity_accounts.entity_id,
        entity_accounts.account_code,
        coalesce(accounts.statement, 'balance_sheet') as statement,
        entity_periods.fiscal_year,
        entity_periods.fiscal_period,
        years_with_opening_entries.fiscal_year is not null as year_has_opening_entries,
        coalesce(per_period.opening_entries_amount, 0) as opening_entries_amount,
        coalesce(per_period.movement, 0) as movement,
        coalesce(per_period.debit_movement, 0) as debit_movement,
        coalesce(per_period.credit_movement, 0) as credit_movement

    from entity_accounts
    inner join entity_periods
        on entity_accounts.provider = entity_periods.provider
        and entity_accounts.entity_id = entity_periods.entity_id
    left join accounts
        on entity_accounts.provider = accounts.provider
        and entity_accounts.entity_id = accounts.entity_id
        and entity_accounts.account_code = accounts.account_code
    left join years_with_opening_entries
        on entity_periods.provider = years_with_opening_entries.provider
        and entity_periods.entity_id = years_with_opening_entries.entity_id
        and entity_periods.fiscal_year = years_with_opening_entries.fiscal_year
    left join per_period
        on entity_accounts.provider = per_period.provider
        and entity_accounts.entity_id = per_period.entity_id
        and entity_accounts.account_code = per_period.account_code
        and entity_periods.fiscal_year = per_period.fiscal_year
        and entity_periods.fiscal_period = per_period.fiscal_period

),

-- The year a balance runs from: a P&L account's own year; a balance-sheet account's last year up
-- to this one with opening entries (or, before any, the first year: -1 stands for it).
anchored as (

    select
        grid.*,
        case
            when statement = 'profit_and_loss' then fiscal_year
            else coalesce(max(case when year_has_opening_entries then fiscal_year end) over (
                partition by provider, entity_id, account_code
                order by fiscal_year, fiscal_period
                rows between unbounded preceding and current row
            ), -1)
        end as balance_from_year

    from grid

),

balances as (

    select
        anchored.*,
        sum(
            -- Opening entries count in the year the balance runs from only: a later year's are
            -- never beside a carry-forward (a year with them starts a new run).
            case when fiscal_year = balance_from_year then opening_entries_amount else 0 end
            + movement
        ) over (
            partition by provider, entity_id, account_code, balance_from_year
            order by fiscal_year, fiscal_period
            rows between unbounded preceding and current row
        ) as closing_balance

    from anchored

),

final as (

    select
        {{ surrogate_key(['balances.provider', 'balances.entity_id', 'account_code', 'fiscal_year',
                          'fiscal_period']) }} as account_balance_key,
        balances.provider,
        organisation_id,
        balances.entity_id,
        account_code,
        statement,
        fiscal_year,
        fiscal_period,
        cast(closing_balance - movement as decimal(18, 2)) as opening_balance,
        cast(opening_entries_amount as decimal(18, 2)) as opening_entries_amount,
        cast(movement as decimal(18, 2)) as movement,
        cast(debit_movement as decimal(18, 2)) as debit_movement,
        cast(credit_movement as decimal(18, 2)) as credit_movement,
        cast(closing_balance as decimal(18, 2)) as closing_balance,
        cast(
            case
                when statement = 'profit_and_loss' then 'year_to_date'
                when balance_from_year = -1 then 'carried_forward_from_first_year'
                when balance_from_year = fiscal_year then 'opening_entries'
                else 'carried_forward'
            end as {{ dbt.type_string() }}
        ) as opening_basis,
        entities.currency,
        entities.entity_inputs_load_id,
        entities.entity_inputs_fingerprint

    from balances
    inner join entities
        on balances.provider = entities.provider
        and balances.entity_id = entities.entity_id

)

select * from final
