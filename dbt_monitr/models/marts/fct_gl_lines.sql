-- General ledger lines of every provider: one row per booked line, amounts signed debit positive in the entity currency.

with lines as (

    select * from {{ ref('int_gl_lines__with_currency') }}

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
        due_date

    from lines

)

select * from final
