-- Every entity's balance sheet balances at every month end: total assets equal liabilities plus equity, the current year's result and earlier years' results not yet closed included. A failing row names the provider, entity and month and the difference (assets minus liabilities and equity).
{{ config(severity='error') }}

with months as (

    select
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        month_start,
        sum(case when balance_sheet_side = 'assets' then presented_amount else 0 end)
            as total_assets,
        sum(case when balance_sheet_side = 'liabilities_and_equity' then presented_amount else 0 end)
            as total_liabilities_and_equity

    from {{ ref('fct_balance_sheet_monthly') }}
    group by provider, organisation_id, entity_id, fiscal_year, month_start

)

select
    provider,
    organisation_id,
    entity_id,
    month_start as month,
    total_assets,
    total_liabilities_and_equity,
    total_assets - total_liabilities_and_equity as difference

from months
where abs(total_assets - total_liabilities_and_equity) >= 0.01
