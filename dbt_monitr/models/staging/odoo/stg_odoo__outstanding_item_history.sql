-- Odoo receivable and payable items with when they were opened and settled: every posted journal item on a receivable or payable account (invoices, bills, credit notes and the payments reconciled with them), opened on its date. A fully reconciled item was settled on the latest date among the items sharing its matching_number (Odoo 17+); while part of it is open ('P...' numbers, amount_residual) it is not settled. What was open on a date d: opened_on <= d and (settled_on is null or settled_on > d).
{%- set text = dbt.type_string() %}

with lines as (

    select * from {{ ref('stg_odoo__gl_lines') }}

),

move_lines as (

    select * from {{ monitr_source('odoo', 'move_lines') }}

),

accounts as (

    select * from {{ monitr_source('odoo', 'accounts') }}

),

items as (

    select
        lines.*,
        case accounts.account_type when 'asset_receivable' then 1 else -1 end as side,
        cast(case accounts.account_type when 'asset_receivable' then 'receivable' else 'payable' end
             as {{ text }}) as item_type,
        move_lines.ref,
        move_lines.amount_residual,
        nullif(cast(move_lines.matching_number as {{ text }}), '') as matching_number,
        move_lines.full_reconcile_id,
        cast(move_lines.write_date as date) as written_on

    from lines
    inner join move_lines
        on lines.entity_id = move_lines._monitr_entity_id
        and lines.source_id = cast(move_lines.id as {{ text }})
    inner join accounts
        on move_lines._monitr_entity_id = accounts._monitr_entity_id
        and move_lines.account_id = accounts.id
    where accounts.account_type in ('asset_receivable', 'liability_payable')

),

settled as (

    select
        items.*,
        case
            -- Settled in full: when its last line was booked.
            when full_reconcile_id is not null and matching_number is not null
                then max(booking_date) over (partition by entity_id, matching_number)
            -- Part of its item is still open.
            when matching_number is not null or coalesce(amount_residual, 0) <> 0 then null
            -- Nothing open and no matching number (before Odoo 17): the day Odoo last wrote it.
            else greatest(written_on, booking_date)
        end as settled_on

    from items

),

renamed as (

    select
        provider,
        organisation_id,
        entity_id,
        source_id,
        item_type,
        cast(ref as {{ text }}) as invoice_number,
        entry_number,
        booking_date as opened_on,
        due_date,
        cast(settled_on as date) as settled_on,
        source_relation_id,
        relation_code,
        relation_name,
        description,
        -- Receivables are debit (+), payables credit (-): an invoice is positive on both sides, a
        -- payment or credit note negative.
        cast(side * amount as decimal(18, 2)) as amount,
        cast(side * coalesce(amount_residual, 0) as decimal(18, 2)) as open_amount,
        transaction_currency as currency,
        matching_number as match_reference,
        journal_code

    from settled

)

select * from renamed
