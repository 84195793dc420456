-- Fixed-asset register: per asset and fiscal year end, acquisition value, depreciation charged in the year, accumulated depreciation and book value; from the GL lines linked to the asset where the provider links them (as_of_basis gl_lines), else the provider's current state only (as_of_basis current).
{#-
    gl_lines: the asset's GL lines (int_gl_lines__unioned.source_fixed_asset_id: Exact's asset id,
    Twinfield's dim3 asset code) give the depreciation charged in each fiscal year (the lines on
    profit-and-loss accounts). The accumulated depreciation at a year end is the provider's
    accumulated depreciation at the import less what was booked on the asset after that year:
    anchored at what the provider says now, so years whose opening the provider does not link to
    the asset still come out right. Rows for every fiscal year the entity has GL bookings in whose
    end is on or after the acquisition date.
    current: assets without linked GL lines (Octopus, Xero, Moneybird), one row with the provider's
    current values, on the entity's latest fiscal year; the year's charge is not known (null).
-#}
{%- set text = dbt.type_string() %}

with assets as (

    select * from {{ ref('dim_fixed_assets') }}

),

gl_lines as (

    select * from {{ ref('int_gl_lines__unioned') }}

),

accounts as (

    select * from {{ ref('int_accounts__unioned') }}

),

account_balances as (

    select * from {{ ref('fct_account_balances') }}

),

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}

),

account_statements as (

    select provider, entity_id, account_code, min(statement) as statement
    from accounts
    group by provider, entity_id, account_code

),

-- The fiscal years each entity has GL bookings in, with the year's last day.
entity_years as (

    select
        years.provider,
        years.entity_id,
        years.fiscal_year,
        coalesce(max(fiscal_periods.end_date), make_date(cast(years.fiscal_year as integer), 12, 31))
            as fiscal_year_end_date

    from (
        select distinct provider, entity_id, fiscal_year from account_balances
    ) as years
    left join fiscal_periods
        on years.provider = fiscal_periods.provider
        and years.entity_id = fiscal_periods.entity_id
        and years.fiscal_year = fiscal_periods.fiscal_year
    group by years.provider, years.entity_id, years.fiscal_year

),

-- Depreciation charged per asset and fiscal year: the asset's lines on profit-and-loss accounts.
asset_charges as (

    select
        assets.fixed_asset_key,
        gl_lines.fiscal_year,
        sum(case when account_statements.statement = 'profit_and_loss' then gl_lines.amount else 0 end)
            as depreciation_charge,
        count(*) as gl_line_count

    from gl_lines
    inner join assets
        on gl_lines.provider = assets.provider
        and gl_lines.entity_id = assets.entity_id
        and (gl_lines.source_fixed_asset_id = assets.source_id
             or gl_lines.source_fixed_asset_id = assets.asset_code)
    left join account_statements
        on gl_lines.provider = account_statements.provider
        and gl_lines.entity_id = account_statements.entity_id
        and gl_lines.account_code = account_statements.account_code
    where gl_lines.source_fixed_asset_id is not null
    group by assets.fixed_asset_key, gl_lines.fiscal_year

),

linked_assets as (

    select distinct fixed_asset_key from asset_charges

),

gl_rows as (

    select
        assets.fixed_asset_key,
        entity_years.fiscal_year,
        entity_years.fiscal_year_end_date,
        cast('gl_lines' as {{ text }}) as as_of_basis,
        coalesce(max(this_year.depreciation_charge), 0) as depreciation_in_year,
        coalesce(assets.accumulated_depreciation, 0)
            - coalesce(sum(later_years.depreciation_charge), 0) as accumulated_depreciation

    from assets
    inner join linked_assets
        on assets.fixed_asset_key = linked_assets.fixed_asset_key
    inner join entity_years
        on assets.provider = entity_years.provider
        and assets.entity_id = entity_years.entity_id
        and (assets.acquisition_date is null or assets.acquisition_date <= entity_years.fiscal_year_end_date)
    left join asset_charges as this_year
        on assets.fixed_asset_key = this_year.fixed_asset_key
        and entity_years.fiscal_year = this_year.fiscal_year
    left join asset_charges as later_years
        on assets.fixed_asset_key = later_years.fixed_asset_key
        and later_years.fiscal_year > entity_years.fiscal_year
    group by assets.fixed_asset_key, entity_years.fiscal_year, entity_years.fiscal_year_end_date,
        assets.accumulated_depreciation

),

latest_years as (

    select provider, entity_id, max(fiscal_year) as fiscal_year
    from entity_years
    group by provider, entity_id

),

current_rows as (

    select
        assets.fixed_asset_key,
        latest_years.fiscal_year,
        entity_years.fiscal_year_end_date,
        cast('current' as {{ text }}) as as_of_basis,
        cast(null as decimal(18, 2)) as depreciation_in_year,
        coalesce(assets.accumulated_depreciation, 0) as accumulated_depreciation

    from assets
    left join latest_years
        on assets.provider = latest_years.provider
        and assets.entity_id = latest_years.entity_id
    left join entity_years
        on latest_years.provider = entity_years.provider
        and latest_years.entity_id = entity_years.entity_id
        and latest_years.fiscal_year = entity_years.fiscal_year
    where not exists (
        select 1 from linked_assets where linked_assets.fixed_asset_key = assets.fixed_asset_key
    )

),

register_rows as (

    select * from gl_rows
    union all
    select * from current_rows

),

final as (

    select
        {{ surrogate_key(['assets.provider', 'assets.entity_id', 'assets.source_id',
                          'register_rows.fiscal_year']) }} as fixed_asset_register_key,
        assets.fixed_asset_key,
        assets.provider,
        assets.organisation_id,
        assets.entity_id,
        assets.source_id,
        assets.asset_code,
        assets.description,
        assets.asset_group,
        assets.acquisition_date,
        register_rows.fiscal_year,
        register_rows.fiscal_year_end_date,
        register_rows.as_of_basis,
        assets.acquisition_value,
        cast(register_rows.depreciation_in_year as decimal(18, 2)) as depreciation_in_year,
        cast(register_rows.accumulated_depreciation as decimal(18, 2)) as accumulated_depreciation,
        cast(assets.acquisition_value - register_rows.accumulated_depreciation as decimal(18, 2))
            as book_value,
        assets.residual_value,
        assets.currency,
        assets.status

    from register_rows
    inner join assets
        on register_rows.fixed_asset_key = assets.fixed_asset_key

)

select * from final
