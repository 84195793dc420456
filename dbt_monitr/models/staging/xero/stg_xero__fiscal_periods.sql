-- Xero fiscal periods, derived: Xero has no periods endpoint, so each financial year (named by the calendar year it ends in, as Xero does) is the twelve months after FinancialYearEndMonth, for every year the entity's journals fall in.
{%- set text = dbt.type_string() %}

with organisation as (

    select * from {{ monitr_source('xero', 'organisation') }}

),

journal_lines as (

    select * from {{ monitr_source('xero', 'journal_lines') }}

),

year_ends as (

    select
        _monitr_organisation_id,
        _monitr_entity_id,
        -- The financial year ends on the last day of this month (Xero's FinancialYearEndDay is
        -- that day for every organisation we know; other days are not supported).
        cast(coalesce(max(financial_year_end_month), 12) as integer) as end_month

    from organisation
    group by _monitr_organisation_id, _monitr_entity_id

),

booked_years as (

    select
        year_ends._monitr_organisation_id,
        year_ends._monitr_entity_id,
        year_ends.end_month,
        min(cast(extract(year from journal_lines.journal_date) as integer)
            + case when cast(extract(month from journal_lines.journal_date) as integer) > year_ends.end_month
                then 1 else 0 end) as first_year,
        max(cast(extract(year from journal_lines.journal_date) as integer)
            + case when cast(extract(month from journal_lines.journal_date) as integer) > year_ends.end_month
                then 1 else 0 end) as last_year

    from year_ends
    inner join journal_lines
        on year_ends._monitr_entity_id = journal_lines._monitr_entity_id
    group by year_ends._monitr_organisation_id, year_ends._monitr_entity_id, year_ends.end_month

),

digits as (

    select n from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as digits (n)

),

numbers as (

    select tens.n * 10 + units.n as n
    from digits as tens
    cross join digits as units

),

periods as (

    select
        booked_years._monitr_organisation_id,
        booked_years._monitr_entity_id,
        booked_years.first_year + years.n as fiscal_year,
        months.n + 1 as fiscal_period,
        -- Months counted from January of year 0: period 1 is the month after the year end.
        (booked_years.first_year + years.n - 1) * 12 + booked_years.end_month + months.n as month_index

    from booked_years
    inner join numbers as years
        on years.n <= booked_years.last_year - booked_years.first_year
    inner join numbers as months
        on months.n < 12

),

dated as (

    select
        *,
        make_date(
            cast(floor(month_index / 12.0) as integer),
            cast(month_index - 12 * floor(month_index / 12.0) + 1 as integer),
            1
        ) as start_date,
        make_date(
            cast(floor((month_index + 1) / 12.0) as integer),
            cast(month_index + 1 - 12 * floor((month_index + 1) / 12.0) + 1 as integer),
            1
        ) as next_start_date

    from periods

),

renamed as (

    select
        cast('xero' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(cast(fiscal_year as {{ text }}) || '-' || cast(fiscal_period as {{ text }}) as {{ text }}) as source_id,
        cast(fiscal_year as integer) as fiscal_year,
        cast(fiscal_period as integer) as fiscal_period,
        cast(start_date as date) as start_date,
        cast({{ dbt.dateadd('day', -1, 'next_start_date') }} as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from dated

)

select * from renamed
