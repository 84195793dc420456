-- QuickBooks Online fiscal periods: QBO keeps only the first month of the fiscal year (CompanyInfo.FiscalYearStartMonth),
-- so every fiscal year the company's ledger lines fall in is split into twelve calendar months from that month on
-- (fiscal years named by the calendar year they start in, as in stg_quickbooks__gl_lines).
{%- set text = dbt.type_string() %}

with companies as (

    select * from {{ monitr_source('quickbooks', 'company_info') }}

),

fiscal_years as (

    select distinct organisation_id, entity_id, fiscal_year
    from {{ ref('stg_quickbooks__gl_lines') }}

),

months as (

    select period from (values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)) as months(period)

),

periods as (

    select
        fiscal_years.organisation_id,
        fiscal_years.entity_id,
        fiscal_years.fiscal_year,
        months.period as fiscal_period,
        make_date(
            fiscal_years.fiscal_year,
            case coalesce(companies.fiscal_year_start_month, 'January')
                when 'January' then 1 when 'February' then 2 when 'March' then 3 when 'April' then 4
                when 'May' then 5 when 'June' then 6 when 'July' then 7 when 'August' then 8
                when 'September' then 9 when 'October' then 10 when 'November' then 11 when 'December' then 12
            end,
            1
        ) as fiscal_year_start,
        companies.meta_data_last_updated_time

    from fiscal_years
    cross join months
    left join companies
        on fiscal_years.entity_id = companies._monitr_entity_id

),

renamed as (

    select
        cast('quickbooks' as {{ text }}) as provider,
        cast(organisation_id as bigint) as organisation_id,
        cast(entity_id as bigint) as entity_id,
        cast(cast(fiscal_year as {{ text }}) || '-' || cast(fiscal_period as {{ text }}) as {{ text }}) as source_id,
        cast(fiscal_year as integer) as fiscal_year,
        cast(fiscal_period as integer) as fiscal_period,
        cast({{ dbt.dateadd('month', 'fiscal_period - 1', 'fiscal_year_start') }} as date) as start_date,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 'fiscal_period', 'fiscal_year_start')) }} as date) as end_date,
        cast(meta_data_last_updated_time as timestamp with time zone) as source_modified_at

    from periods

)

select * from renamed
