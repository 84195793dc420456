-- Stripe invoices in the provider-neutral invoice contract (int_customer_invoices__unioned): amounts in major units, times as UTC timestamps.

with invoices as (

    select * from {{ monitr_source('stripe', 'invoices') }}
    where not coalesce(deleted, false)

),

final as (

    select
        cast('stripe' as {{ dbt.type_string() }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ dbt.type_string() }}) as invoice_id,
        cast(number as {{ dbt.type_string() }}) as invoice_number,
        cast(customer as {{ dbt.type_string() }}) as customer_id,
        cast(parent_subscription_details_subscription as {{ dbt.type_string() }}) as subscription_id,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(upper(currency) as {{ dbt.type_string() }}) as currency,
        cast({{ stripe_major_units('total', 'currency') }} as decimal(18, 2)) as total_amount,
        cast({{ stripe_major_units('amount_paid', 'currency') }} as decimal(18, 2)) as paid_amount,
        cast({{ stripe_major_units('amount_remaining', 'currency') }} as decimal(18, 2)) as open_amount,
        to_timestamp(created) as invoiced_at,
        to_timestamp(status_transitions_paid_at) as paid_at,
        to_timestamp(period_start) as period_start_at,
        to_timestamp(period_end) as period_end_at

    from invoices

)

select * from final
