-- Profit and loss per provider x entity x month on the standard chart (RGS for NL, PCMN for BE): one row per standard code (and one per report section for unmapped accounts), the month's amount and the fiscal year to date.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['provider', 'entity_id'],
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_rebuilt_entities(ref('int_reports__entity_inputs')) }}",
) }}

with balances as (

    {{ report_balances_to_build() }}

),

sections as (

    select * from {{ ref('int_standard_chart_sections') }}

),

-- A profit-and-loss account's balance starts each fiscal year at zero: its opening entries (if
-- any) and movements are the year's result on it.
monthly as (

    select
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        month_start,
        standard_chart,
        standard_code,
        min(standard_name) as standard_name,
        report_section,
        count(distinct account_code) as account_count,
        sum(opening_entries_amount + movement) as amount,
        min(currency) as currency,
        min(entity_inputs_load_id) as entity_inputs_load_id,
        min(entity_inputs_fingerprint) as entity_inputs_fingerprint

    from balances
    where statement = 'profit_and_loss'
    group by provider, organisation_id, entity_id, fiscal_year, month_start, standard_chart,
        standard_code, report_section

),

final as (

    select
        {{ surrogate_key(['monthly.provider', 'monthly.entity_id', 'monthly.fiscal_year',
                          'monthly.month_start', 'monthly.report_section',
                          'monthly.standard_code']) }} as profit_and_loss_key,
        monthly.provider,
        monthly.organisation_id,
        monthly.entity_id,
        monthly.fiscal_year,
        monthly.month_start,
        monthly.standard_chart,
        monthly.standard_code,
        monthly.standard_name,
        monthly.report_section,
        sections.sort_order as report_section_order,
        monthly.account_count,
        cast(monthly.amount as decimal(18, 2)) as amount,
        cast(-monthly.amount as decimal(18, 2)) as result_amount,
        cast(-sum(monthly.amount) over (
            partition by monthly.provider, monthly.entity_id, monthly.fiscal_year,
                monthly.report_section, monthly.standard_code
            order by monthly.month_start
            rows between unbounded preceding and current row
        ) as decimal(18, 2)) as year_to_date_result_amount,
        monthly.currency,
        monthly.entity_inputs_load_id,
        monthly.entity_inputs_fingerprint

    from monthly
    left join sections
        on monthly.report_section = sections.report_section

)

select * from final
