-- General ledger lines of every provider: one row per booked line, amounts signed debit positive in the entity currency.
{#-
    Incremental per provider x entity (macros/entity_incremental.sql): a build replaces the rows of
    exactly the entities whose raw rows changed since the last one (or whose lines were all deleted)
    and leaves every other entity's rows as they are. The reporting currency comes from the entity's
    own administrations, which are among its raw inputs, so a changed currency rebuilds the entity
    too. `dbt build --full-refresh` rebuilds every entity; needed only after changing a macro the
    lines are built with or a column's type (a changed model upstream rebuilds every entity anyway).
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

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'source_id']) }} as gl_line_key,
        provider,
        organisation_id,
        entity_id,
        source_id as source_line_id,
        source_entry_id,
        entry_number,
        line_number,
        booking_date,
        fiscal_year,
        fiscal_period,
        journal_code,
        account_code,
        account_name,
        description,
        cast(amount as decimal(18, 2)) as amount,
        cast(debit_amount as decimal(18, 2)) as debit_amount,
        cast(credit_amount as decimal(18, 2)) as credit_amount,
        currency,
        cast(transaction_amount as decimal(18, 2)) as transaction_amount,
        transaction_currency,
        cost_centre_code,
        cost_unit_code,
        project_code,
        entry_type,
        is_opening_entry,
        invoice_number,
        relation_code,
        relation_name,
        due_date,
        -- The dlt load of the line's own raw row (dim_import_loads: its import and Dagster run);
        -- entity_inputs_load_id is the entity's newest, which most lines did not come from.
        import_load_id,
        entity_inputs_load_id,
        entity_inputs_fingerprint

    from lines

)

select * from final
