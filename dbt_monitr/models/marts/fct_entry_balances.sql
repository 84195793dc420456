-- One row per provider x entity x entry: totals of its lines and whether they balance (debits = credits); built beside fct_gl_lines so a failing line test does not stop it.
{#-
    Incremental per provider x entity like fct_gl_lines (macros/entity_incremental.sql): only the
    entities whose raw rows changed since the last build are summed again.
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

entries as (

    select
        provider,
        organisation_id,
        entity_id,
        source_entry_id,
        min(entry_number) as entry_number,
        min(journal_code) as journal_code,
        min(entry_type) as entry_type,
        {{ dbt.bool_or('is_opening_entry') }} as is_opening_entry,
        min(booking_date) as booking_date,
        min(fiscal_year) as fiscal_year,
        min(fiscal_period) as fiscal_period,
        min(currency) as currency,
        count(*) as line_count,
        sum(debit_amount) as debit_total,
        sum(credit_amount) as credit_total,
        sum(amount) as balance,
        min(entity_inputs_load_id) as entity_inputs_load_id,
        min(entity_inputs_fingerprint) as entity_inputs_fingerprint

    from lines
    group by provider, organisation_id, entity_id, source_entry_id

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'source_entry_id']) }} as entry_balance_key,
        provider,
        organisation_id,
        entity_id,
        source_entry_id,
        entry_number,
        journal_code,
        entry_type,
        is_opening_entry,
        booking_date,
        fiscal_year,
        fiscal_period,
        currency,
        line_count,
        cast(debit_total as decimal(18, 2)) as debit_total,
        cast(credit_total as decimal(18, 2)) as credit_total,
        cast(balance as decimal(18, 2)) as balance,
        abs(balance) < 0.005 as is_balanced,
        entity_inputs_load_id,
        entity_inputs_fingerprint

    from entries

)

select * from final
