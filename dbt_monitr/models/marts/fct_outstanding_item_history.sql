-- Every receivable and payable item with when it was opened and settled: what was outstanding on any date d is the items with opened_on <= d and (settled_on is null or settled_on > d), and sum(amount) over them the amount outstanding (aging at each period end).

with items as (

    select * from {{ ref('int_outstanding_item_history__unioned') }}

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
        items.opened_on,
        items.due_date,
        items.settled_on,
        items.relation_code,
        items.relation_name,
        items.description,
        cast(items.amount as decimal(18, 2)) as amount,
        cast(items.open_amount as decimal(18, 2)) as open_amount,
        -- amount is in the entity's own currency (Odoo balance, Twinfield basevaluesigned).
        coalesce(entity_currencies.currency, items.currency) as currency,
        items.match_reference,
        items.journal_code

    from items
    left join entity_currencies
        on items.provider = entity_currencies.provider
        and items.entity_id = entity_currencies.entity_id

)

select * from final
