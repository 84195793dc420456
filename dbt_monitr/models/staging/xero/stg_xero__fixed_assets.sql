-- Xero registered fixed assets, renamed and cast; accumulated depreciation = prior years' + this year's, in the base (entity reporting) currency.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('xero', 'fixed_assets') }}

),

renamed as (

    select
        cast('xero' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(asset_id as {{ text }}) as source_id,
        cast(asset_number as {{ text }}) as asset_code,
        cast(asset_name as {{ text }}) as description,
        cast(asset_type_id as {{ text }}) as asset_group_code,
        -- The Assets API names the type only on /AssetTypes, which is not loaded.
        cast(asset_type_id as {{ text }}) as asset_group,
        cast(purchase_date as date) as acquisition_date,
        cast(depreciation_start_date as date) as depreciation_start_date,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('year', 'effective_life_years', 'depreciation_start_date')) }}
            as date
        ) as depreciation_end_date,
        cast(purchase_price as decimal(18, 2)) as acquisition_value,
        cast(coalesce(prior_accum_depreciation_amount, 0) + coalesce(current_accum_depreciation_amount, 0)
            as decimal(18, 2)) as accumulated_depreciation,
        cast(residual_value as decimal(18, 2)) as residual_value,
        cast(depreciation_method as {{ text }}) as depreciation_method,
        -- Null: the amounts are in the base currency, which the marts take from the entity.
        cast(null as {{ text }}) as currency,
        cast(asset_status as {{ text }}) as source_status,
        cast(
            case lower(asset_status)
                when 'registered' then 'active'
                when 'draft' then 'draft'
                when 'disposed' then 'disposed'
                else 'other'
            end as {{ text }}
        ) as status

    from source

)

select * from renamed
