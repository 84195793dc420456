-- Lineage of report figures: every GL line with the keys the report marts group it by (month, standard code, report section, statement) and the import that wrote it (load, Dagster run, import run).
{#-
    A view: it is only a join of the lines with their mapping, month and import, so it is always
    as current as fct_gl_lines and dim_account_mappings, and costs nothing to rebuild. Its month,
    mapping and report section are computed as the statements compute theirs
    (macros/report_statements.sql: fiscal_period_month, 'unmapped' for unmapped accounts), so the
    lines under a report row are exactly those with the row's keys.
-#}
{{ config(materialized='view') }}

with lines as (

    select * from {{ ref('fct_gl_lines') }}

),

mappings as (

    select * from {{ ref('dim_account_mappings') }}

),

balances as (

    select * from {{ ref('fct_account_balances') }}

),

loads as (

    select * from {{ ref('dim_import_loads') }}

),

periods as (

    select provider, entity_id, fiscal_year, fiscal_period, min(end_date) as end_date
    from {{ ref('dim_fiscal_periods') }}
    group by provider, entity_id, fiscal_year, fiscal_period

),

final as (

    select
        lines.gl_line_key,
        lines.provider,
        lines.organisation_id,
        lines.entity_id,
        lines.fiscal_year,
        lines.fiscal_period,
        {{ fiscal_period_month('periods.end_date', 'lines.fiscal_year', 'lines.fiscal_period') }}
            as month_start,
        lines.booking_date,
        lines.account_code,
        balances.statement,
        mappings.standard_chart,
        mappings.standard_code,
        coalesce(mappings.report_section, 'unmapped') as report_section,
        lines.is_opening_entry,
        lines.amount,
        lines.currency,
        lines.source_line_id,
        lines.source_entry_id,
        lines.entry_number,
        lines.description,
        lines.import_load_id,
        loads.loaded_at as import_loaded_at,
        loads.dagster_run_id,
        loads.import_run_id

    from lines
    left join periods
        on lines.provider = periods.provider
        and lines.entity_id = periods.entity_id
        and lines.fiscal_year = periods.fiscal_year
        and lines.fiscal_period = periods.fiscal_period
    left join mappings
        on lines.provider = mappings.provider
        and lines.entity_id = mappings.entity_id
        and lines.account_code = mappings.account_code
    left join balances
        on lines.provider = balances.provider
        and lines.entity_id = balances.entity_id
        and lines.account_code = balances.account_code
        and lines.fiscal_year = balances.fiscal_year
        and lines.fiscal_period = balances.fiscal_period
    left join loads
        on lines.provider = loads.provider
        and lines.entity_id = loads.entity_id
        and lines.import_load_id = loads.import_load_id

)

select * from final
