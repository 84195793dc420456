-- Minox open receivables and payables AS OF TODAY ONLY, renamed and cast: each import's list is what is outstanding at that moment (a paid item is gone). Minox cannot say what was outstanding on an earlier date, so Minox has no outstanding_item_history rows. source_id is Minox's open-item id (not the invoice id); open_amount is the item's balance.
{%- set text = dbt.type_string() %}

with receivables as (

    select *, 'receivable' as item_type from {{ monitr_source('minox', 'receivables') }}

),

payables as (

    select *, 'payable' as item_type from {{ monitr_source('minox', 'payables') }}

),

items as (

    select * from receivables
    union all
    select * from payables

),

renamed as (

    select
        cast('minox' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(item_type as {{ text }}) as item_type,
        cast(invoice_number as {{ text }}) as invoice_number,
        cast(entry_number as {{ text }}) as entry_number,
        cast(invoice_date as date) as invoice_date,
        cast(due_date as date) as due_date,
        cast(account_id as {{ text }}) as source_relation_id,
        cast(account_id as {{ text }}) as relation_code,
        cast(account_name as {{ text }}) as relation_name,
        cast(memo as {{ text }}) as description,
        cast(null as {{ text }}) as reference,
        cast(balance as decimal(18, 2)) as open_amount,
        cast(currency_id as {{ text }}) as currency,
        cast(journal_id as {{ text }}) as journal_code

    from items

)

select * from renamed
