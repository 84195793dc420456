-- Exact Online fixed assets, renamed and cast; amounts are in the division (entity reporting) currency.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'fixed_assets') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(trim(code) as {{ text }}) as asset_code,
        cast(description as {{ text }}) as description,
        cast(asset_group_code as {{ text }}) as asset_group_code,
        cast(coalesce(asset_group_description, asset_group_code) as {{ text }}) as asset_group,
        cast(investment_date as date) as acquisition_date,
        cast(start_date as date) as depreciation_start_date,
        cast(end_date as date) as depreciation_end_date,
        cast(investment_amount_dc as decimal(18, 2)) as acquisition_value,
        cast(depreciated_amount as decimal(18, 2)) as accumulated_depreciation,
        cast(residual_value as decimal(18, 2)) as residual_value,
        cast(coalesce(primary_method_description, primary_method_code) as {{ text }}) as depreciation_method,
        -- Null: the amounts are in the division currency, which the marts take from the entity.
        cast(null as {{ text }}) as currency,
        cast(investment_currency as {{ text }}) as acquisition_currency,
        cast(status as {{ text }}) as source_status,
        cast(
            case status
                when 1 then 'active'
                when 2 then 'draft'
                when 3 then 'inactive'
                when 4 then 'fully_depreciated'
                when 5 then 'blocked'
                when 6 then 'disposed'
                else 'other'
            end as {{ text }}
        ) as status,
        cast(modified as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
