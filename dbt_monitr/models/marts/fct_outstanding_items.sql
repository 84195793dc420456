-- Open receivables and payables of every provider at the latest load: one row per open invoice or bill.

with items as (

    select * from {{ ref('int_outstanding_items__unioned') }}

),

entity_currencies as (

    select * from {{ ref('int_entities__reporting_currency') }}

),

final as (

    select
        {{ surrogate_key(['items.provider', 'items.entity_id', 'items.item_type', 'items.source_id']) }}
            as outstanding_item_key,
        items.provider,
        items.organisation_id,
        items.entity_id,
        items.source_id,
        items.item_type,
        items.invoice_number,
        items.entry_number,
        items.invoice_date,
        items.due_date,
        items.relation_code,
        items.relation_name,
        items.description,
        items.reference,
        cast(items.open_amount as decimal(18, 2)) as open_amount,
        coalesce(items.currency, entity_currencies.currency) as currency,
        items.journal_code

    from items
    left join entity_currencies
        on items.provider = entity_currencies.provider
        and items.entity_id = entity_currencies.entity_id

)

select * from final
