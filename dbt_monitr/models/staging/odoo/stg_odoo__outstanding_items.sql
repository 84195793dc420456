-- Odoo open items: posted receivable and payable journal items with an amount still open (amount_residual, signed as the balance: receivables positive, payables negative), shown as positive open amounts.
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

renamed as (

    select
        lines.provider,
        lines.organisation_id,
        lines.entity_id,
        lines.source_id,
        cast(case accounts.account_type when 'asset_receivable' then 'receivable' else 'payable' end
             as {{ text }}) as item_type,
        cast(move_lines.ref as {{ text }}) as invoice_number,
        lines.entry_number,
        lines.booking_date as invoice_date,
        lines.due_date,
        lines.source_relation_id,
        lines.relation_code,
        lines.relation_name,
        lines.description,
        cast(move_lines.ref as {{ text }}) as reference,
        cast(abs(move_lines.amount_residual) as decimal(18, 2)) as open_amount,
        lines.transaction_currency as currency,
        lines.journal_code

    from lines
    inner join move_lines
        on lines.entity_id = move_lines._monitr_entity_id
        and lines.source_id = cast(move_lines.id as {{ text }})
    inner join accounts
        on move_lines._monitr_entity_id = accounts._monitr_entity_id
        and move_lines.account_id = accounts.id
    where accounts.account_type in ('asset_receivable', 'liability_payable')
        and move_lines.amount_residual <> 0

)

select * from renamed
