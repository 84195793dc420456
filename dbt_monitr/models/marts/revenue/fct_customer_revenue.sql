-- Revenue per entity, customer, currency and month from paid invoices: what was paid (amount_paid), in the month it was paid.

with invoices as (

    select * from {{ ref('int_customer_invoices__unioned') }}
    where status = 'paid'

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'customer_id', 'currency',
                          "cast(date_trunc('month', timezone('UTC', paid_at)) as date)"]) }} as customer_revenue_id,
        provider,
        organisation_id,
        entity_id,
        customer_id,
        currency,
        cast(date_trunc('month', timezone('UTC', paid_at)) as date) as month_start,
        cast(sum(paid_amount) as decimal(18, 2)) as paid_amount,
        count(*) as paid_invoice_count

    from invoices
    group by provider, organisation_id, entity_id, customer_id, currency,
        cast(date_trunc('month', timezone('UTC', paid_at)) as date)

)

select * from final
