-- Stripe subscription items in the provider-neutral subscription-line contract (int_subscription_items__unioned): one row per item of every subscription (any status), its price and quantity, the subscription's first discount, and the account's reporting currency and data-as-of moment. An item counts from when it was added (its created, not before the subscription started) until the subscription ended.
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}
{%- set json_array_elements = 'jsonb_array_elements' if target.type == 'postgres' else 'json_each' %}

with subscriptions as (

    select * from {{ monitr_source('stripe', 'subscriptions') }}
    where not coalesce(deleted, false)

),

accounts as (

    select * from {{ ref('stg_stripe__accounts') }}

),

items as (

    select
        subscriptions._monitr_organisation_id as organisation_id,
        subscriptions._monitr_entity_id as entity_id,
        subscriptions.id as subscription_id,
        subscriptions.customer as customer_id,
        subscriptions.status,
        subscriptions.currency,
        subscriptions.start_date,
        subscriptions.ended_at,
        subscriptions.canceled_at,
        subscriptions.cancel_at,
        subscriptions.trial_end,
        cast(subscriptions.discounts as {{ json }}) -> 0 as discount,
        item.value as item

    from subscriptions
    cross join lateral {{ json_array_elements }}(cast(subscriptions.items_data as {{ json }})) as item

),

final as (

    select
        cast('stripe' as {{ text }}) as provider,
        cast(items.organisation_id as bigint) as organisation_id,
        cast(items.entity_id as bigint) as entity_id,
        cast(items.subscription_id as {{ text }}) as subscription_id,
        cast(items.customer_id as {{ text }}) as customer_id,
        cast(items.item ->> 'id' as {{ text }}) as item_id,
        cast(items.item -> 'price' ->> 'id' as {{ text }}) as price_id,
        cast(items.item -> 'price' ->> 'product' as {{ text }}) as product_id,
        cast(items.status as {{ text }}) as status,
        to_timestamp(greatest(items.start_date, cast(items.item ->> 'created' as bigint))) as started_at,
        to_timestamp(items.ended_at) as ended_at,
        to_timestamp(items.canceled_at) as canceled_at,
        to_timestamp(items.cancel_at) as cancel_at,
        to_timestamp(items.trial_end) as trial_end_at,
        cast(items.item -> 'price' -> 'recurring' ->> 'interval' as {{ text }}) as billing_interval,
        cast(items.item -> 'price' -> 'recurring' ->> 'interval_count' as integer) as billing_interval_count,
        cast({{ stripe_major_units("cast(items.item -> 'price' ->> 'unit_amount' as bigint)", 'items.currency') }}
             as decimal(18, 4)) as unit_amount,
        cast(items.item ->> 'quantity' as integer) as quantity,
        coalesce(items.item -> 'price' -> 'recurring' ->> 'usage_type' = 'metered', false) as is_metered,
        cast(upper(items.currency) as {{ text }}) as currency,
        cast(items.discount -> 'source' -> 'coupon' ->> 'id' as {{ text }}) as discount_code,
        cast(items.discount -> 'source' -> 'coupon' ->> 'duration' as {{ text }}) as discount_duration,
        cast(items.discount -> 'source' -> 'coupon' ->> 'percent_off' as decimal(9, 4)) as discount_percent,
        cast({{ stripe_major_units("cast(items.discount -> 'source' -> 'coupon' ->> 'amount_off' as bigint)", 'items.currency') }}
             as decimal(18, 4)) as discount_amount,
        to_timestamp(cast(items.discount ->> 'start' as bigint)) as discount_started_at,
        to_timestamp(cast(items.discount ->> 'end' as bigint)) as discount_ends_at,
        accounts.reporting_currency,
        accounts.data_as_of_at

    from items
    left join accounts
        on items.entity_id = accounts.entity_id

)

select * from final
