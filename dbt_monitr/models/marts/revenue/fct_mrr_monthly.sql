-- MRR per entity, customer, currency and month, as Stripe Billing defines it (see _revenue__models.yml): each month is measured at its end (the current month at the moment the data is as of).
{%- set month_end = "cast(months.month_start + interval '1 month' as timestamp) at time zone 'UTC'" %}

with recursive

lines as (

    select * from {{ ref('int_subscription_items__unioned') }}

),

entities as (

    select
        provider,
        organisation_id,
        entity_id,
        max(data_as_of_at) as as_of_at,
        min(started_at) as first_started_at

    from lines
    where data_as_of_at is not null
    group by provider, organisation_id, entity_id

),

months as (

    select
        provider,
        organisation_id,
        entity_id,
        as_of_at,
        cast(date_trunc('month', timezone('UTC', first_started_at)) as date) as month_start

    from entities

    union all

    select
        provider,
        organisation_id,
        entity_id,
        as_of_at,
        cast(month_start + interval '1 month' as date) as month_start

    from months
    where cast(month_start + interval '1 month' as timestamp) at time zone 'UTC' <= as_of_at

),

measured as (

    select
        months.provider,
        months.organisation_id,
        months.entity_id,
        months.month_start,
        least({{ month_end }}, months.as_of_at) as measured_at

    from months

),

-- Lines that count at the moment a month is measured: started, not ended, out of trial; metered
-- items and subscriptions that never became or are no longer collectable left out.
counted as (

    select
        measured.month_start,
        measured.measured_at,
        lines.*,
        case lines.billing_interval
            when 'month' then 1.0 / lines.billing_interval_count
            when 'year' then 1.0 / (12 * lines.billing_interval_count)
            when 'week' then 52.0 / (12 * lines.billing_interval_count)
            when 'day' then 365.0 / (12 * lines.billing_interval_count)
        end as months_per_interval,
        coalesce(lines.discount_duration = 'forever'
                 and lines.discount_started_at <= measured.measured_at
                 and (lines.discount_ends_at is null or lines.discount_ends_at > measured.measured_at),
                 false) as has_discount

    from measured
    inner join lines
        on measured.provider = lines.provider
        and measured.entity_id = lines.entity_id
    where not lines.is_metered
        and lines.status not in ('incomplete', 'incomplete_expired', 'unpaid', 'paused')
        and lines.started_at < measured.measured_at
        and (lines.ended_at is null or lines.ended_at >= measured.measured_at)
        and (lines.trial_end_at is null or lines.trial_end_at < measured.measured_at)

),

subscriptions as (

    select
        provider,
        organisation_id,
        entity_id,
        currency,
        customer_id,
        subscription_id,
        month_start,
        greatest(
            sum(unit_amount * quantity * months_per_interval
                * (1 - case when has_discount then coalesce(discount_percent, 0) else 0 end / 100))
            - max(case when has_discount then coalesce(discount_amount, 0) else 0 end
                  * months_per_interval),
            0) as mrr

    from counted
    group by provider, organisation_id, entity_id, currency, customer_id, subscription_id, month_start

),

customer_months as (

    select
        provider,
        organisation_id,
        entity_id,
        currency,
        customer_id,
        month_start,
        cast(round(sum(mrr), 2) as decimal(18, 2)) as mrr_amount

    from subscriptions
    group by provider, organisation_id, entity_id, currency, customer_id, month_start

),

customers as (

    select
        provider,
        organisation_id,
        entity_id,
        currency,
        customer_id,
        min(month_start) as first_month_start

    from customer_months
    where mrr_amount > 0
    group by provider, organisation_id, entity_id, currency, customer_id

),

-- Every month from a customer's first MRR on, with zero where it had none.
dense as (

    select
        customers.provider,
        customers.organisation_id,
        customers.entity_id,
        customers.currency,
        customers.customer_id,
        months.month_start,
        coalesce(customer_months.mrr_amount, 0) as mrr_amount

    from customers
    inner join months
        on customers.provider = months.provider
        and customers.entity_id = months.entity_id
        and months.month_start >= customers.first_month_start
    left join customer_months
        on customers.provider = customer_months.provider
        and customers.entity_id = customer_months.entity_id
        and customers.currency = customer_months.currency
        and customers.customer_id = customer_months.customer_id
        and months.month_start = customer_months.month_start

),

with_previous as (

    select
        dense.*,
        coalesce(lag(mrr_amount) over customer_months_in_order, 0) as previous_mrr_amount,
        coalesce(max(case when mrr_amount > 0 then 1 else 0 end) over (
            customer_months_in_order rows between unbounded preceding and 1 preceding), 0) = 1
            as had_mrr_before

    from dense
    window customer_months_in_order as (
        partition by provider, entity_id, currency, customer_id order by month_start)

),

reporting as (

    select provider, entity_id, max(reporting_currency) as reporting_currency
    from lines
    group by provider, entity_id

),

final as (

    select
        {{ surrogate_key(['with_previous.provider', 'with_previous.entity_id', 'with_previous.currency',
                          'with_previous.customer_id', 'with_previous.month_start']) }} as mrr_month_id,
        with_previous.provider,
        with_previous.organisation_id,
        with_previous.entity_id,
        with_previous.month_start,
        with_previous.customer_id,
        with_previous.currency,
        with_previous.mrr_amount,
        with_previous.previous_mrr_amount,
        cast(with_previous.mrr_amount - with_previous.previous_mrr_amount as decimal(18, 2)) as mrr_change,
        cast(case
            when with_previous.previous_mrr_amount = 0 and with_previous.mrr_amount > 0
                then case when with_previous.had_mrr_before then 'reactivation' else 'new' end
            when with_previous.previous_mrr_amount > 0 and with_previous.mrr_amount = 0 then 'churn'
            when with_previous.mrr_amount > with_previous.previous_mrr_amount then 'expansion'
            when with_previous.mrr_amount < with_previous.previous_mrr_amount then 'contraction'
            else 'unchanged'
        end as {{ dbt.type_string() }}) as movement_type,
        reporting.reporting_currency,
        -- No exchange rates in the warehouse: MRR in another currency than the entity's is not converted.
        case when with_previous.currency = reporting.reporting_currency
             then with_previous.mrr_amount end as mrr_reporting_amount

    from with_previous
    left join reporting
        on with_previous.provider = reporting.provider
        and with_previous.entity_id = reporting.entity_id
    where with_previous.mrr_amount > 0 or with_previous.previous_mrr_amount > 0

)

select * from final
