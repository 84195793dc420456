-- Balance sheet per provider x entity x month end on the standard chart (RGS for NL, PCMN for BE): one row per standard code (and per report section for unmapped accounts), plus the current year's result and the earlier years' results not yet closed, both in equity, so assets = liabilities + equity.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['provider', 'entity_id'],
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_rebuilt_entities(ref('int_reports__entity_inputs')) }}",
) }}
{%- set text = dbt.type_string() %}
{#- Working capital: shown on the side its balance is on (see `sided`). -#}
{%- set sides_follow_balance = ['receivables', 'other_receivables', 'cash', 'payables',
                                'tax_and_social_security', 'other_current_liabilities'] %}

with balances as (

    {{ report_balances_to_build() }}

),

sections as (

    select * from {{ ref('int_standard_chart_sections') }}

),

unclosed as (

    {{ unclosed_results_of_earlier_years('balances') }}

),

-- The balance at a month's end is the closing balance of the last fiscal period reported in it.
month_end_periods as (

    select provider, entity_id, fiscal_year, month_start, max(fiscal_period) as fiscal_period
    from balances
    group by provider, entity_id, fiscal_year, month_start

),

month_end as (

    select balances.*
    from balances
    inner join month_end_periods
        on balances.provider = month_end_periods.provider
        and balances.entity_id = month_end_periods.entity_id
        and balances.fiscal_year = month_end_periods.fiscal_year
        and balances.fiscal_period = month_end_periods.fiscal_period

),

account_lines as (

    select
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        fiscal_period,
        month_start,
        cast('account' as {{ text }}) as line_type,
        standard_chart,
        standard_code,
        min(standard_name) as standard_name,
        report_section,
        count(distinct account_code) as account_count,
        sum(closing_balance) as balance,
        min(currency) as currency,
        min(entity_inputs_load_id) as entity_inputs_load_id,
        min(entity_inputs_fingerprint) as entity_inputs_fingerprint

    from month_end
    where statement = 'balance_sheet'
    group by provider, organisation_id, entity_id, fiscal_year, fiscal_period, month_start,
        standard_chart, standard_code, report_section

),

entity_months as (

    select
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        fiscal_period,
        month_start,
        sum(case when statement = 'profit_and_loss' then closing_balance else 0 end)
            as current_year_result,
        min(currency) as currency,
        min(entity_inputs_load_id) as entity_inputs_load_id,
        min(entity_inputs_fingerprint) as entity_inputs_fingerprint

    from month_end
    group by provider, organisation_id, entity_id, fiscal_year, fiscal_period, month_start

),

-- The results not on any balance-sheet account: this year's so far (its profit-and-loss accounts'
-- year-to-date balances) and earlier years' not yet closed by an opening booking.
result_lines as (

    select
        entity_months.provider,
        entity_months.organisation_id,
        entity_months.entity_id,
        entity_months.fiscal_year,
        entity_months.fiscal_period,
        entity_months.month_start,
        results.line_type,
        cast(null as {{ text }}) as standard_chart,
        cast(null as {{ text }}) as standard_code,
        results.standard_name,
        cast('equity' as {{ text }}) as report_section,
        0 as account_count,
        case results.line_type
            when 'current_year_result' then entity_months.current_year_result
            else coalesce(unclosed.unclosed_result, 0)
        end as balance,
        entity_months.currency,
        entity_months.entity_inputs_load_id,
        entity_months.entity_inputs_fingerprint

    from entity_months
    cross join (
        select
            cast('current_year_result' as {{ text }}) as line_type,
            cast('Result of the current fiscal year' as {{ text }}) as standard_name
        union all
        select
            cast('unclosed_result_earlier_years' as {{ text }}),
            cast('Result of earlier years not yet closed into equity' as {{ text }})
    ) as results
    left join unclosed
        on entity_months.provider = unclosed.provider
        and entity_months.entity_id = unclosed.entity_id
        and entity_months.fiscal_year = unclosed.fiscal_year

),

unioned as (

    select * from account_lines
    union all
    select * from result_lines

),

-- The side a line is shown on: its section's, except that working capital is shown on the side
-- its balance is on (an overdrawn bank account is a debt, a customer's prepayment too, as the
-- annual accounts present them), and an unmapped account (no section) likewise.
sided as (

    select
        unioned.*,
        sections.sort_order as report_section_order,
        cast(
            case
                when sections.balance_sheet_side is null
                    or unioned.report_section in ({{ "'" ~ sides_follow_balance | join("', '") ~ "'" }})
                    then case when unioned.balance >= 0 then 'assets' else 'liabilities_and_equity' end
                else sections.balance_sheet_side
            end as {{ text }}
        ) as balance_sheet_side

    from unioned
    left join sections
        on unioned.report_section = sections.report_section

),

final as (

    select
        {{ surrogate_key(['sided.provider', 'sided.entity_id', 'sided.fiscal_year',
                          'sided.month_start', 'sided.line_type', 'sided.report_section',
                          'sided.standard_code']) }} as balance_sheet_key,
        sided.provider,
        sided.organisation_id,
        sided.entity_id,
        sided.fiscal_year,
        sided.fiscal_period,
        sided.month_start,
        cast({{ dbt.last_day('sided.month_start', 'month') }} as date) as month_end_date,
        sided.line_type,
        sided.standard_chart,
        sided.standard_code,
        sided.standard_name,
        sided.report_section,
        sided.report_section_order,
        sided.balance_sheet_side,
        sided.account_count,
        cast(sided.balance as decimal(18, 2)) as balance,
        cast(
            case when sided.balance_sheet_side = 'assets' then sided.balance else -sided.balance end
            as decimal(18, 2)
        ) as presented_amount,
        sided.currency,
        sided.entity_inputs_load_id,
        sided.entity_inputs_fingerprint

    from sided

)

select * from final
