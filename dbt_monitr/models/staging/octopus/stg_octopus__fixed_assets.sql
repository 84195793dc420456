-- Octopus fixed assets, renamed and cast; accumulated depreciation is what Octopus has depreciated so far.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('octopus', 'fixed_assets') }}

),

renamed as (

    select
        cast('octopus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(fixed_asset_key_id as {{ text }}) as source_id,
        cast(fixed_asset_key_id as {{ text }}) as asset_code,
        cast(description as {{ text }}) as description,
        cast(account_key as {{ text }}) as asset_group_code,
        cast(asset_group as {{ text }}) as asset_group,
        cast(purchase_date as date) as acquisition_date,
        cast(start_depreciation_date as date) as depreciation_start_date,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 'duration_months', 'start_depreciation_date')) }}
            as date
        ) as depreciation_end_date,
        cast(purchase_value as decimal(18, 2)) as acquisition_value,
        cast(depreciated_value as decimal(18, 2)) as accumulated_depreciation,
        cast(residual_value as decimal(18, 2)) as residual_value,
        cast(lower(depreciation_method) as {{ text }}) as depreciation_method,
        cast(null as {{ text }}) as currency,
        cast('active' as {{ text }}) as source_status,
        cast('active' as {{ text }}) as status

    from source

)

select * from renamed
