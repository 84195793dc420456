-- e-Boekhouden has no fiscal periods endpoint: its years are calendar years, so every year with bookings gets twelve monthly periods.
{%- set text = dbt.type_string() %}

with mutation_rows as (

    select * from {{ monitr_source('eboekhouden', 'mutation_rows') }}

),

-- The opening balance is dated the day before the first booking and opens the next year.
years as (

    select distinct
        _monitr_organisation_id,
        _monitr_entity_id,
        cast(extract(year from case when "type" = 0 then cast("date" as date) + 1
                                    else cast("date" as date) end) as integer) as fiscal_year

    from mutation_rows
    where "date" is not null

),

months as (

    select * from (
        values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)
    ) as months (fiscal_period)

),

renamed as (

    select
        cast('eboekhouden' as {{ text }}) as provider,
        cast(years._monitr_organisation_id as bigint) as organisation_id,
        cast(years._monitr_entity_id as bigint) as entity_id,
        cast(years.fiscal_year as {{ text }}) || '-' || lpad(cast(months.fiscal_period as {{ text }}), 2, '0') as source_id,
        cast(years.fiscal_year as integer) as fiscal_year,
        cast(months.fiscal_period as integer) as fiscal_period,
        cast(make_date(years.fiscal_year, months.fiscal_period, 1) as date) as start_date,
        cast(make_date(years.fiscal_year, months.fiscal_period, 1) + interval '1 month' - interval '1 day' as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from years
    cross join months

)

select * from renamed
