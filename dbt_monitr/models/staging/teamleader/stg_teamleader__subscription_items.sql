-- Teamleader subscriptions in the subscription-line contract (int_subscription_items__unioned): a subscription is one line whose price is its total excluding tax for one billing cycle of `period` weeks, months or years (quantity 1). It counts from the start of its starts_on day until the end of its ends_on day (UTC); Teamleader has no trials, metered lines or discounts on subscriptions.
{%- set text = dbt.type_string() %}

with subscriptions as (

    select * from {{ monitr_source('teamleader', 'subscriptions') }}

),

departments as (

    select * from {{ ref('stg_teamleader__departments') }}

),

final as (

    select
        cast('teamleader' as {{ text }}) as provider,
        cast(subscriptions._monitr_organisation_id as bigint) as organisation_id,
        cast(subscriptions._monitr_entity_id as bigint) as entity_id,
        cast(subscriptions.id as {{ text }}) as subscription_id,
        cast(subscriptions.invoicee_customer_id as {{ text }}) as customer_id,
        cast(subscriptions.id as {{ text }}) as item_id,
        cast(null as {{ text }}) as price_id,
        cast(null as {{ text }}) as product_id,
        cast(subscriptions.status as {{ text }}) as status,
        cast(subscriptions.starts_on as timestamp) at time zone 'UTC' as started_at,
        cast(subscriptions.ends_on + 1 as timestamp) at time zone 'UTC' as ended_at,
        cast(null as timestamp with time zone) as canceled_at,
        cast(null as timestamp with time zone) as cancel_at,
        cast(null as timestamp with time zone) as trial_end_at,
        cast(subscriptions.billing_cycle_periodicity_unit as {{ text }}) as billing_interval,
        cast(subscriptions.billing_cycle_periodicity_period as integer) as billing_interval_count,
        cast(subscriptions.total_tax_exclusive_amount as decimal(18, 4)) as unit_amount,
        cast(1 as integer) as quantity,
        false as is_metered,
        cast(upper(subscriptions.total_tax_exclusive_currency) as {{ text }}) as currency,
        cast(null as {{ text }}) as discount_code,
        cast(null as {{ text }}) as discount_duration,
        cast(null as decimal(9, 4)) as discount_percent,
        cast(null as decimal(18, 4)) as discount_amount,
        cast(null as timestamp with time zone) as discount_started_at,
        cast(null as timestamp with time zone) as discount_ends_at,
        departments.currency as reporting_currency,
        departments.data_as_of_at

    from subscriptions
    left join departments
        on subscriptions._monitr_entity_id = departments.entity_id

)

select * from final
