{#-
    The account balances the statement marts (fct_trial_balance, fct_profit_and_loss_monthly,
    fct_balance_sheet_monthly) are built from, per provider x entity to (re)build.

    Those marts are incremental per provider x entity like the GL marts (macros/entity_incremental.sql),
    with int_reports__entity_inputs as their entity inputs: an entity is rebuilt when its balances
    were (a new import), or when its account mappings or fiscal calendar changed (an override from
    `monitr accounts map`), and no other entity is touched.
-#}


{#- fct_account_balances rows of the entities to build, each with its month, its standard-chart
    mapping and the entity's report inputs (load id, fingerprint) the mart rows carry. -#}
{% macro report_balances_to_build() %}
    with entities as (

        {{ entities_to_build(ref('int_reports__entity_inputs')) }}

    ),

    periods as (

        select provider, entity_id, fiscal_year, fiscal_period, min(end_date) as end_date
        from {{ ref('dim_fiscal_periods') }}
        group by provider, entity_id, fiscal_year, fiscal_period

    )

    select
        balances.provider,
        balances.organisation_id,
        balances.entity_id,
        balances.account_code,
        balances.statement,
        balances.fiscal_year,
        balances.fiscal_period,
        {{ fiscal_period_month('periods.end_date', 'balances.fiscal_year', 'balances.fiscal_period') }}
            as month_start,
        balances.opening_balance,
        balances.opening_entries_amount,
        balances.movement,
        balances.debit_movement,
        balances.credit_movement,
        balances.closing_balance,
        balances.opening_basis,
        balances.currency,
        mappings.account_name,
        mappings.standard_chart,
        mappings.standard_code,
        mappings.standard_name,
        coalesce(mappings.report_section, 'unmapped') as report_section,
        coalesce(mappings.is_mapped, false) as is_mapped,
        entities.entity_inputs_load_id,
        entities.entity_inputs_fingerprint

    from {{ ref('fct_account_balances') }} as balances
    inner join entities
        on balances.provider = entities.provider
        and balances.entity_id = entities.entity_id
    left join periods
        on balances.provider = periods.provider
        and balances.entity_id = periods.entity_id
        and balances.fiscal_year = periods.fiscal_year
        and balances.fiscal_period = periods.fiscal_period
    left join {{ ref('dim_account_mappings') }} as mappings
        on balances.provider = mappings.provider
        and balances.entity_id = mappings.entity_id
        and balances.account_code = mappings.account_code
    where {{ entities_to_build_filter(ref('int_reports__entity_inputs'), 'balances.provider',
                                      'balances.entity_id') }}
{% endmacro %}


{#- The calendar month (its first day) a fiscal period reports in: the month its end date falls in
    (period 0 and a 13th closing period join their year's first and last month); without a fiscal
    calendar from the provider, period n of year y is month n of y (1 to 12, clamped). -#}
{% macro fiscal_period_month(end_date, fiscal_year, fiscal_period) %}
    coalesce(
        cast({{ dbt.date_trunc('month', end_date) }} as date),
        make_date(
            cast({{ fiscal_year }} as integer),
            cast(least(greatest({{ fiscal_period }}, 1), 12) as integer),
            1
        )
    )
{% endmacro %}


{#- Per provider x entity x fiscal year, from balance rows (`balances_cte`, with statement,
    fiscal_year, fiscal_period, closing_balance, opening_basis): the results of earlier years not
    yet closed into equity. fct_account_balances carries balance-sheet accounts across years from
    the last year with opening entries (the accountant's own carry-forward, earlier results already
    in equity) and starts profit-and-loss accounts at zero each year; so the results of the years
    from that year up to the one before are on no account: this is their sum (debit positive, so a
    profit is negative), the "result of previous years" line that makes the balance sheet close. -#}
{% macro unclosed_results_of_earlier_years(balances_cte) %}
    with last_periods as (

        select provider, entity_id, fiscal_year, max(fiscal_period) as last_period
        from {{ balances_cte }}
        group by provider, entity_id, fiscal_year

    ),

    years as (

        select
            balances.provider,
            balances.entity_id,
            balances.fiscal_year,
            -- A balance-sheet row runs from this year's opening entries only in years that have them.
            max(case when balances.statement = 'balance_sheet'
                          and balances.opening_basis = 'opening_entries' then 1 else 0 end)
                as has_opening_entries,
            sum(case when balances.statement = 'profit_and_loss'
                          and balances.fiscal_period = last_periods.last_period
                     then balances.closing_balance else 0 end) as year_result

        from {{ balances_cte }} as balances
        inner join last_periods
            on balances.provider = last_periods.provider
            and balances.entity_id = last_periods.entity_id
            and balances.fiscal_year = last_periods.fiscal_year
        group by balances.provider, balances.entity_id, balances.fiscal_year

    ),

    anchored as (

        select
            years.*,
            -- -1: no year with opening entries yet, so balances run from the first year imported.
            coalesce(max(case when has_opening_entries = 1 then fiscal_year end) over (
                partition by provider, entity_id
                order by fiscal_year
                rows between unbounded preceding and current row
            ), -1) as balance_from_year

        from years

    )

    select
        anchored.provider,
        anchored.entity_id,
        anchored.fiscal_year,
        coalesce(sum(earlier.year_result), 0) as unclosed_result

    from anchored
    left join years as earlier
        on anchored.provider = earlier.provider
        and anchored.entity_id = earlier.entity_id
        and earlier.fiscal_year < anchored.fiscal_year
        and earlier.fiscal_year >= anchored.balance_from_year
    group by anchored.provider, anchored.entity_id, anchored.fiscal_year
{% endmacro %}


{#- Joins rows (by alias; with organisation_id, currency, month_start) to their organisation's
    reporting currency (`reporting_currencies`) and the month's rates from their currency to it
    (`rates`: average_rate, month_end_rate, is_rate_carried_forward; null when there is none). The
    consolidated statements convert with it. -#}
{% macro join_reporting_currency_rates(rows_alias) %}
    inner join {{ ref('int_organisations__reporting_currency') }} as reporting_currencies
        on {{ rows_alias }}.organisation_id = reporting_currencies.organisation_id
    left join {{ ref('int_fx_rates_monthly') }} as rates
        on {{ rows_alias }}.currency = rates.from_currency
        and reporting_currencies.reporting_currency = rates.to_currency
        and {{ rows_alias }}.month_start = rates.month_start
{% endmacro %}
