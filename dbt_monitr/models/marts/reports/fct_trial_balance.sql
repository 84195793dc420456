-- Trial balance per provider x entity x fiscal period: one row per account (opening, debits, credits, closing) and one row for the results of earlier years not yet closed into equity, so each period's rows net to zero.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['provider', 'entity_id'],
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_rebuilt_entities(ref('int_reports__entity_inputs')) }}",
) }}
{%- set text = dbt.type_string() %}

with balances as (

    {{ report_balances_to_build() }}

),

unclosed as (

    {{ unclosed_results_of_earlier_years('balances') }}

),

entity_periods as (

    select
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        fiscal_period,
        min(month_start) as month_start,
        min(currency) as currency,
        min(entity_inputs_load_id) as entity_inputs_load_id,
        min(entity_inputs_fingerprint) as entity_inputs_fingerprint

    from balances
    group by provider, organisation_id, entity_id, fiscal_year, fiscal_period

),

account_rows as (

    select
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        fiscal_period,
        month_start,
        cast('account' as {{ text }}) as row_type,
        account_code,
        account_name,
        statement,
        standard_chart,
        standard_code,
        standard_name,
        report_section,
        opening_balance,
        opening_entries_amount,
        debit_movement,
        credit_movement,
        movement,
        closing_balance,
        currency,
        entity_inputs_load_id,
        entity_inputs_fingerprint

    from balances

),

-- The earlier years' results are on no account (see macros/report_statements.sql): one row holds
-- them, constant through the year, so every period's closing balances net to zero.
unclosed_rows as (

    select
        entity_periods.provider,
        entity_periods.organisation_id,
        entity_periods.entity_id,
        entity_periods.fiscal_year,
        entity_periods.fiscal_period,
        entity_periods.month_start,
        cast('unclosed_result_earlier_years' as {{ text }}) as row_type,
        cast(null as {{ text }}) as account_code,
        cast('Result of earlier years not yet closed into equity' as {{ text }}) as account_name,
        cast('balance_sheet' as {{ text }}) as statement,
        cast(null as {{ text }}) as standard_chart,
        cast(null as {{ text }}) as standard_code,
        cast(null as {{ text }}) as standard_name,
        cast('equity' as {{ text }}) as report_section,
        unclosed.unclosed_result as opening_balance,
        cast(0 as decimal(18, 2)) as opening_entries_amount,
        cast(0 as decimal(18, 2)) as debit_movement,
        cast(0 as decimal(18, 2)) as credit_movement,
        cast(0 as decimal(18, 2)) as movement,
        unclosed.unclosed_result as closing_balance,
        entity_periods.currency,
        entity_periods.entity_inputs_load_id,
        entity_periods.entity_inputs_fingerprint

    from entity_periods
    inner join unclosed
        on entity_periods.provider = unclosed.provider
        and entity_periods.entity_id = unclosed.entity_id
        and entity_periods.fiscal_year = unclosed.fiscal_year
    where unclosed.unclosed_result <> 0

),

unioned as (

    select * from account_rows
    union all
    select * from unclosed_rows

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'fiscal_year', 'fiscal_period', 'row_type',
                          'account_code']) }} as trial_balance_key,
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        fiscal_period,
        month_start,
        row_type,
        account_code,
        account_name,
        statement,
        standard_chart,
        standard_code,
        standard_name,
        report_section,
        cast(opening_balance as decimal(18, 2)) as opening_balance,
        cast(opening_entries_amount as decimal(18, 2)) as opening_entries_amount,
        cast(debit_movement as decimal(18, 2)) as debit_movement,
        cast(credit_movement as decimal(18, 2)) as credit_movement,
        cast(movement as decimal(18, 2)) as movement,
        cast(closing_balance as decimal(18, 2)) as closing_balance,
        cast(case when closing_balance > 0 then closing_balance else 0 end as decimal(18, 2))
            as closing_debit,
        cast(case when closing_balance < 0 then -closing_balance else 0 end as decimal(18, 2))
            as closing_credit,
        currency,
        entity_inputs_load_id,
        entity_inputs_fingerprint

    from unioned

)

select * from final
