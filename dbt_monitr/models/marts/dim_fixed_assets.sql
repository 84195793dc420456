-- Fixed assets of every provider: one row per asset with its acquisition value, depreciation so far and book value.

with assets as (

    select * from {{ ref('int_fixed_assets__unioned') }}

),

entity_currencies as (

    select * from {{ ref('int_entities__reporting_currency') }}

),

final as (

    select
        {{ surrogate_key(['assets.provider', 'assets.entity_id', 'assets.source_id']) }} as fixed_asset_key,
        assets.provider,
        assets.organisation_id,
        assets.entity_id,
        assets.source_id,
        assets.asset_code,
        assets.description,
        assets.asset_group,
        assets.acquisition_date,
        assets.depreciation_start_date,
        assets.depreciation_end_date,
        cast(assets.acquisition_value as decimal(18, 2)) as acquisition_value,
        cast(assets.accumulated_depreciation as decimal(18, 2)) as accumulated_depreciation,
        cast(assets.residual_value as decimal(18, 2)) as residual_value,
        cast(
            assets.acquisition_value - coalesce(assets.accumulated_depreciation, 0)
            as decimal(18, 2)
        ) as book_value,
        assets.depreciation_method,
        coalesce(assets.currency, entity_currencies.currency) as currency,
        assets.status

    from assets
    left join entity_currencies
        on assets.provider = entity_currencies.provider
        and assets.entity_id = entity_currencies.entity_id

)

select * from final
