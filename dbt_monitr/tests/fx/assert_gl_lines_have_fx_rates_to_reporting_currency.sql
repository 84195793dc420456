-- Every month an entity booked GL lines in has a rate (int_fx_rates_monthly) from the lines' currency to its organisation's reporting currency, so the consolidated reports can convert every line; a failing row names the entity, currency and month without one (lines before the first ECB month, in an unseeded currency, with no currency, or of an organisation without a reporting currency).
-- Shown in Dagster as a check on int_fx_rates_monthly.
{{ config(meta={'dagster': {'ref': {'name': 'int_fx_rates_monthly'}}}) }}

with gl_lines as (

    select * from {{ ref('fct_gl_lines') }}

),

organisation_currencies as (

    select * from {{ ref('int_organisations__reporting_currency') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

booked_months as (

    select
        provider,
        organisation_id,
        entity_id,
        currency,
        cast({{ dbt.date_trunc('month', 'booking_date') }} as date) as month,
        count(*) as line_count

    from gl_lines
    group by 1, 2, 3, 4, 5

),

final as (

    select
        booked_months.provider,
        booked_months.organisation_id,
        booked_months.entity_id,
        booked_months.currency,
        booked_months.month,
        organisation_currencies.reporting_currency,
        booked_months.line_count

    from booked_months
    left join organisation_currencies
        on booked_months.organisation_id = organisation_currencies.organisation_id
    left join fx_rates
        on booked_months.currency = fx_rates.from_currency
        and organisation_currencies.reporting_currency = fx_rates.to_currency
        and booked_months.month = fx_rates.month_start
    where fx_rates.from_currency is null

)

select * from final
