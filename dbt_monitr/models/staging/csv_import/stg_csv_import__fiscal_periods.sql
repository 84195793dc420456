-- CSV import fiscal periods: the (fiscal year, period) pairs the GL lines use; a CSV upload has no calendar of its own.
{%- set text = dbt.type_string() %}

with lines as (

    select * from {{ monitr_source('csv_import', 'gl_lines') }}

),

periods as (

    select
        _monitr_organisation_id,
        _monitr_entity_id,
        cast(fiscal_year as integer) as fiscal_year,
        cast(fiscal_period as integer) as fiscal_period,
        -- Calendar periods (period n = month n of the fiscal year) are the rule in NL and BE;
        -- only when every line of the period lies in that month are its bounds known.
        min(case
            when extract(year from "date") = fiscal_year and extract(month from "date") = fiscal_period
                then 1 else 0
        end) = 1 as is_calendar_month

    from lines
    group by _monitr_organisation_id, _monitr_entity_id, fiscal_year, fiscal_period

),

final as (

    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(fiscal_year as {{ text }}) || '/' || cast(fiscal_period as {{ text }}) as source_id,
        fiscal_year,
        fiscal_period,
        case when is_calendar_month then make_date(fiscal_year, fiscal_period, 1) end as start_date,
        case
            when is_calendar_month
                then cast(make_date(fiscal_year, fiscal_period, 1) + interval '1 month' - interval '1 day' as date)
        end as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from periods

)

select * from final
