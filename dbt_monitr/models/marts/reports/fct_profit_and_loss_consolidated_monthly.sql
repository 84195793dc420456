-- Profit and loss per organisation x month x report section, every entity converted to the organisation's reporting currency at the month's average rate.
{%- set text = dbt.type_string() %}

with entity_months as (

    select * from {{ ref('fct_profit_and_loss_monthly') }}

),

converted as (

    select
        entity_months.organisation_id,
        entity_months.month_start,
        entity_months.report_section,
        entity_months.report_section_order,
        entity_months.provider,
        entity_months.entity_id,
        reporting_currencies.reporting_currency,
        entity_months.amount * rates.average_rate as amount,
        rates.average_rate is null as is_rate_missing,
        coalesce(rates.is_rate_carried_forward, false) as is_rate_carried_forward

    from entity_months
    {{ join_reporting_currency_rates('entity_months') }}

),

final as (

    select
        {{ surrogate_key(['organisation_id', 'month_start', 'report_section']) }}
            as consolidated_profit_and_loss_key,
        organisation_id,
        month_start,
        report_section,
        min(report_section_order) as report_section_order,
        min(reporting_currency) as reporting_currency,
        cast(sum(amount) as decimal(18, 2)) as amount,
        cast(-sum(amount) as decimal(18, 2)) as result_amount,
        count(distinct {{ dbt.concat(['provider', "'/'", 'cast(entity_id as ' ~ text ~ ')']) }})
            as entity_count,
        count(distinct case when is_rate_missing
                            then {{ dbt.concat(['provider', "'/'", 'cast(entity_id as ' ~ text ~ ')']) }}
                       end) as entities_without_rate,
        {{ dbt.bool_or('is_rate_carried_forward') }} as has_carried_forward_rate

    from converted
    group by organisation_id, month_start, report_section

)

select * from final
