-- Odoo fiscal periods, derived: twelve monthly periods per fiscal year with bookings, each year ending with the company's fiscalyear_last_month (taken as a month end; fiscalyear_last_day is then its last day).
{%- set text = dbt.type_string() %}

with companies as (

    select * from {{ monitr_source('odoo', 'companies') }}

),

lines as (

    select entity_id, fiscal_year from {{ ref('stg_odoo__gl_lines') }}

),

years as (

    select distinct
        companies._monitr_organisation_id,
        companies._monitr_entity_id,
        coalesce(companies.fiscalyear_last_month, 12) as last_month,
        lines.fiscal_year

    from companies
    inner join lines
        on companies._monitr_entity_id = lines.entity_id

),

months as (

    select * from (
        values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)
    ) as months (fiscal_period)

),

periods as (

    select
        years.*,
        months.fiscal_period,
        -- The last month is period 12; period p starts 12 - p months before it.
        cast(make_date(cast(years.fiscal_year as integer), cast(years.last_month as integer), 1)
             + (months.fiscal_period - 12) * interval '1 month' as date) as start_date

    from years
    cross join months

),

renamed as (

    select
        cast('odoo' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(fiscal_year as {{ text }}) || '-' || lpad(cast(fiscal_period as {{ text }}), 2, '0') as source_id,
        cast(fiscal_year as integer) as fiscal_year,
        cast(fiscal_period as integer) as fiscal_period,
        cast(start_date as date) as start_date,
        cast(start_date + interval '1 month' - interval '1 day' as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from periods

)

select * from renamed
