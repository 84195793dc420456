-- Moneybird fiscal periods, derived: Moneybird has no periods endpoint and books calendar years, so every month from the year of the administration's period_start_date through the later of this year and its last booking.
{%- set text = dbt.type_string() %}

with administrations as (

    select * from {{ monitr_source('moneybird', 'administrations') }}

),

last_bookings as (

    select entity_id, max(booking_date) as last_booking_date
    from {{ ref('stg_moneybird__gl_lines') }}
    group by entity_id

),

years as (

    select
        administrations._monitr_organisation_id,
        administrations._monitr_entity_id,
        administrations.id,
        cast(extract(year from administrations.period_start_date) as integer) as first_year,
        cast(greatest(extract(year from current_date),
                      extract(year from coalesce(last_bookings.last_booking_date, current_date)))
             as integer) as last_year

    from administrations
    left join last_bookings
        on administrations._monitr_entity_id = last_bookings.entity_id
    where administrations.period_start_date is not null

),

periods as (

    select
        cast('moneybird' as {{ text }}) as provider,
        cast(years._monitr_organisation_id as bigint) as organisation_id,
        cast(years._monitr_entity_id as bigint) as entity_id,
        cast(concat(years.id, ':', fiscal_years.fiscal_year, '-', fiscal_months.fiscal_period)
             as {{ text }}) as source_id,
        cast(fiscal_years.fiscal_year as integer) as fiscal_year,
        cast(fiscal_months.fiscal_period as integer) as fiscal_period,
        cast(make_date(fiscal_years.fiscal_year, fiscal_months.fiscal_period, 1) as date) as start_date,
        cast(make_date(fiscal_years.fiscal_year, fiscal_months.fiscal_period, 1)
             + interval '1 month' - interval '1 day' as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from years
    cross join lateral generate_series(years.first_year, years.last_year) as fiscal_years (fiscal_year)
    cross join generate_series(1, 12) as fiscal_months (fiscal_period)

)

select * from periods
