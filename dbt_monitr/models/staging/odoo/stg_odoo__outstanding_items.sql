-- Odoo open items: the receivable and payable items of stg_odoo__outstanding_item_history with an amount still open (amount_residual), shown as positive open amounts.

with history as (

    select * from {{ ref('stg_odoo__outstanding_item_history') }}

),

open_items as (

    select
        provider,
        organisation_id,
        entity_id,
        source_id,
        item_type,
        invoice_number,
        entry_number,
        opened_on as invoice_date,
        due_date,
        source_relation_id,
        relation_code,
        relation_name,
        description,
        invoice_number as reference,
        abs(open_amount) as open_amount,
        currency,
        journal_code

    from history
    where open_amount <> 0

)

select * from open_items
