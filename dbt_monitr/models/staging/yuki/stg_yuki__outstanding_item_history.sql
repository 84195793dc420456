-- Yuki receivable and payable items with when they were opened and settled: every debtor and creditor GL line (invoices, credit notes, open items of the opening balance, and the payments matched to them), grouped by the document it is matched with (GetTransactionDetails' documentmatching); opened on its date, settled on the last date of its group once the group nets to zero. What was open on a date d: opened_on <= d and (settled_on is null or settled_on > d). The line of the matched document itself carries what is open of the group, under the id Yuki gives the open item.
{%- set text = dbt.type_string() %}

with lines as (

    select * from {{ monitr_source('yuki', 'gl_transactions') }}
    where match_document_id is not null

),

groups as (

    select
        _monitr_entity_id,
        match_document_id,
        sum(transaction_amount) as open_total,
        max(cast(transaction_date as date)) as last_date

    from lines
    group by _monitr_entity_id, match_document_id
    -- Only items whose own document is loaded: a payment of an invoice in a year not read yet
    -- (closed years are read a few at a time) waits for it.
    having sum(case when document_id = match_document_id then 1 else 0 end) > 0

),

matched as (

    select
        lines.*,
        groups.open_total,
        groups.last_date,
        -- Debtors are debit (+), creditors credit (-): an invoice is positive on both sides.
        case when lines.match_type = 'Creditor' then -1 else 1 end as side,
        row_number() over (
            partition by lines._monitr_entity_id, lines.match_document_id
            order by case when lines.document_id = lines.match_document_id then 0 else 1 end,
                cast(lines.transaction_date as date), lines.id
        ) as position_in_group

    from lines
    inner join groups
        on lines._monitr_entity_id = groups._monitr_entity_id
        and lines.match_document_id = groups.match_document_id

),

renamed as (

    select
        cast('yuki' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(case when match_type = 'Creditor' then 'payable' else 'receivable' end as {{ text }}) as item_type,
        cast(document_reference as {{ text }}) as invoice_number,
        cast(null as {{ text }}) as entry_number,
        cast(transaction_date as date) as opened_on,
        cast(null as date) as due_date,
        cast(case when open_total = 0 then last_date end as date) as settled_on,
        cast(contact_code as {{ text }}) as source_relation_id,
        cast(contact_code as {{ text }}) as relation_code,
        cast(full_name as {{ text }}) as relation_name,
        cast(description as {{ text }}) as description,
        cast(side * transaction_amount as decimal(18, 2)) as amount,
        cast(case when position_in_group = 1 then side * open_total else 0 end as decimal(18, 2)) as open_amount,
        cast(currency as {{ text }}) as currency,
        cast(match_document_id as {{ text }}) as match_reference,
        cast(document_type as {{ text }}) as journal_code

    from matched

)

select * from renamed
