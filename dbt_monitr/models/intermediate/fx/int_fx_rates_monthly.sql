-- One row per currency pair and month, from the first month of ECB rates to the current month: the rate that turns an amount in from_currency into to_currency (the month's average and month-end), cross rates through EUR, the last known rates carried forward (and flagged) after the last month of the seed.
{%- set rate_type = 'decimal(28, 12)' %}

with ecb_rates as (

    select * from {{ ref('ecb_reference_rates_monthly') }}

),

euro_rates as (

    -- Months as one integer (year * 12 + month - 1), so both DuckDB and Postgres can count and
    -- generate them with plain arithmetic.
    select
        currency,
        cast(extract(year from month_start) as bigint) * 12
            + cast(extract(month from month_start) as bigint) - 1 as month_index,
        cast(average_rate as {{ rate_type }}) as average_rate,
        cast(month_end_rate as {{ rate_type }}) as month_end_rate

    from ecb_rates

),

bounds as (

    select
        min(euro_rates.month_index) as first_month,
        max(today.month_index) as last_month

    from euro_rates
    cross join (
        select
            cast(extract(year from {{ dbt.current_timestamp() }}) as bigint) * 12
                + cast(extract(month from {{ dbt.current_timestamp() }}) as bigint) - 1 as month_index
    ) as today

),

months as (

    select cast(series.month_index as bigint) as month_index
    from bounds
    cross join lateral generate_series(bounds.first_month, bounds.last_month) as series (month_index)

),

rate_periods as (

    -- Each seeded month's rates hold until the currency's next seeded month (for the last one: on).
    select
        currency,
        month_index as rate_month_index,
        lead(month_index) over (partition by currency order by month_index) as next_rate_month_index,
        average_rate,
        month_end_rate

    from euro_rates

),

euro_rates_by_month as (

    select
        rate_periods.currency,
        months.month_index,
        rate_periods.average_rate,
        rate_periods.month_end_rate,
        months.month_index - rate_periods.rate_month_index as months_carried_forward

    from rate_periods
    inner join months
        on months.month_index >= rate_periods.rate_month_index
        and (rate_periods.next_rate_month_index is null
            or months.month_index < rate_periods.next_rate_month_index)

    union all

    -- The base of every ECB rate: 1 EUR is 1 EUR in every month, never a stale rate.
    select
        'EUR' as currency,
        month_index,
        cast(1 as {{ rate_type }}) as average_rate,
        cast(1 as {{ rate_type }}) as month_end_rate,
        0 as months_carried_forward

    from months

),

pairs as (

    -- Both rates are units per 1 EUR: from -> EUR divides by the from rate, EUR -> to multiplies
    -- by the to rate. The average cross rate is the ratio of the two averages (the convention of
    -- consolidations), not the average of daily cross rates.
    select
        from_rates.currency as from_currency,
        to_rates.currency as to_currency,
        from_rates.month_index,
        to_rates.average_rate / from_rates.average_rate as average_rate,
        to_rates.month_end_rate / from_rates.month_end_rate as month_end_rate,
        case
            -- A currency to itself is 1 whatever the age of its rate against EUR.
            when from_rates.currency = to_rates.currency then 0
            when from_rates.months_carried_forward > to_rates.months_carried_forward
                then from_rates.months_carried_forward
            else to_rates.months_carried_forward
        end as months_carried_forward

    from euro_rates_by_month as from_rates
    inner join euro_rates_by_month as to_rates
        on from_rates.month_index = to_rates.month_index

),

final as (

    select
        from_currency,
        to_currency,
        make_date(cast(floor(month_index / 12) as integer), cast(month_index % 12 + 1 as integer), 1)
            as month_start,
        cast(average_rate as {{ rate_type }}) as average_rate,
        cast(month_end_rate as {{ rate_type }}) as month_end_rate,
        months_carried_forward > 0 as is_rate_carried_forward,
        cast(months_carried_forward as integer) as months_carried_forward

    from pairs

)

select * from final
