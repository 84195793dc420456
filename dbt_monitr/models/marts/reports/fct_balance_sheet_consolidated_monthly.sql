-- Balance sheet per organisation x month end x report section in the organisation's reporting currency: balances at the month-end rate, the current year's result as the consolidated profit and loss has it (each month at its average rate), and the difference the rates make on its own equity line (translation_difference), so the consolidated balance sheet balances too.
{%- set text = dbt.type_string() %}

with entity_months as (

    select * from {{ ref('fct_balance_sheet_monthly') }}

),

sections as (

    select * from {{ ref('int_standard_chart_sections') }}

),

-- The current year's result as the consolidated profit and loss has it: each month's result at
-- that month's average rate, summed over the fiscal year so far.
results_at_average_rates as (

    select
        profit_and_loss.provider,
        profit_and_loss.entity_id,
        profit_and_loss.fiscal_year,
        profit_and_loss.month_start,
        sum(sum(profit_and_loss.amount * rates.average_rate)) over (
            partition by profit_and_loss.provider, profit_and_loss.entity_id,
                profit_and_loss.fiscal_year
            order by profit_and_loss.month_start
            rows between unbounded preceding and current row
        ) as year_to_date_result

    from {{ ref('fct_profit_and_loss_monthly') }} as profit_and_loss
    {{ join_reporting_currency_rates('profit_and_loss') }}
    group by profit_and_loss.provider, profit_and_loss.entity_id, profit_and_loss.fiscal_year,
        profit_and_loss.month_start

),

converted as (

    select
        entity_months.organisation_id,
        entity_months.month_start,
        entity_months.month_end_date,
        entity_months.line_type,
        entity_months.report_section,
        entity_months.balance_sheet_side,
        entity_months.provider,
        entity_months.entity_id,
        reporting_currencies.reporting_currency,
        case
            when entity_months.line_type = 'current_year_result'
                then coalesce(results_at_average_rates.year_to_date_result, 0)
            else entity_months.balance * rates.month_end_rate
        end as balance,
        rates.month_end_rate is null as is_rate_missing,
        coalesce(rates.is_rate_carried_forward, false) as is_rate_carried_forward

    from entity_months
    {{ join_reporting_currency_rates('entity_months') }}
    left join results_at_average_rates
        on entity_months.provider = results_at_average_rates.provider
        and entity_months.entity_id = results_at_average_rates.entity_id
        and entity_months.fiscal_year = results_at_average_rates.fiscal_year
        and entity_months.month_start = results_at_average_rates.month_start

),

lines as (

    select
        organisation_id,
        month_start,
        min(month_end_date) as month_end_date,
        line_type,
        report_section,
        balance_sheet_side,
        min(reporting_currency) as reporting_currency,
        sum(balance) as balance,
        count(distinct {{ dbt.concat(['provider', "'/'", 'cast(entity_id as ' ~ text ~ ')']) }})
            as entity_count,
        count(distinct case when is_rate_missing
                            then {{ dbt.concat(['provider', "'/'", 'cast(entity_id as ' ~ text ~ ')']) }}
                       end) as entities_without_rate,
        {{ dbt.bool_or('is_rate_carried_forward') }} as has_carried_forward_rate

    from converted
    group by organisation_id, month_start, line_type, report_section, balance_sheet_side

),

-- Each entity's balance sheet sums to zero in its own currency; with its result at average rates
-- and the rest at the month-end rate it no longer does: the remainder is the translation reserve.
translation as (

    select
        organisation_id,
        month_start,
        min(month_end_date) as month_end_date,
        cast('translation_difference' as {{ text }}) as line_type,
        cast('equity' as {{ text }}) as report_section,
        cast('liabilities_and_equity' as {{ text }}) as balance_sheet_side,
        min(reporting_currency) as reporting_currency,
        -sum(balance) as balance,
        0 as entity_count,
        0 as entities_without_rate,
        false as has_carried_forward_rate

    from lines
    group by organisation_id, month_start
    having abs(sum(balance)) >= 0.005

),

unioned as (

    select * from lines
    union all
    select * from translation

),

final as (

    select
        {{ surrogate_key(['unioned.organisation_id', 'unioned.month_start', 'unioned.line_type',
                          'unioned.report_section', 'unioned.balance_sheet_side']) }}
            as consolidated_balance_sheet_key,
        unioned.organisation_id,
        unioned.month_start,
        unioned.month_end_date,
        unioned.line_type,
        unioned.report_section,
        sections.sort_order as report_section_order,
        unioned.balance_sheet_side,
        unioned.reporting_currency,
        cast(unioned.balance as decimal(18, 2)) as balance,
        cast(case when unioned.balance_sheet_side = 'assets' then unioned.balance
                  else -unioned.balance end as decimal(18, 2)) as presented_amount,
        unioned.entity_count,
        unioned.entities_without_rate,
        unioned.has_carried_forward_rate

    from unioned
    left join sections
        on unioned.report_section = sections.report_section

)

select * from final
