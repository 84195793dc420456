-- Moneybird assets, renamed and cast: accumulated depreciation is purchase value minus current value, depreciation starts with the first linear value change; Moneybird keeps no asset codes, and amounts are in the base currency (left null for the marts to fill from the entity).
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}
{%- set json_array_elements = 'jsonb_array_elements' if target.type == 'postgres' else 'json_each' %}

with assets as (

    select
        *,
        cast(value_change_plan as {{ json }}) as value_plan,
        cast(disposal as {{ json }}) ->> 'reason' as disposal_reason

    from {{ monitr_source('moneybird', 'assets') }}

),

ledger_accounts as (

    select * from {{ monitr_source('moneybird', 'ledger_accounts') }}

),

first_depreciation as (

    select
        assets._monitr_entity_id,
        assets.id,
        min(cast(value_change.value ->> 'date' as date)) as first_linear_date

    from assets
    cross join lateral {{ json_array_elements }}(cast(assets.value_changes as {{ json }})) as value_change
    where value_change.value ->> 'type' = 'linear'
    group by assets._monitr_entity_id, assets.id

),

renamed as (

    select
        cast('moneybird' as {{ text }}) as provider,
        cast(assets._monitr_organisation_id as bigint) as organisation_id,
        cast(assets._monitr_entity_id as bigint) as entity_id,
        cast(assets.id as {{ text }}) as source_id,
        cast(null as {{ text }}) as asset_code,
        cast(assets.name as {{ text }}) as description,
        cast(assets.ledger_account_id as {{ text }}) as asset_group_code,
        cast(coalesce(ledger_accounts.name, assets.ledger_account_id) as {{ text }}) as asset_group,
        cast(assets.purchase_date as date) as acquisition_date,
        cast(date_trunc('month', first_depreciation.first_linear_date) as date) as depreciation_start_date,
        cast(null as date) as depreciation_end_date,
        cast(assets.purchase_value as decimal(18, 2)) as acquisition_value,
        cast(assets.purchase_value - assets.current_value as decimal(18, 2)) as accumulated_depreciation,
        cast(assets.value_plan ->> 'residual_value' as decimal(18, 2)) as residual_value,
        cast(case when assets.value_plan ->> 'active' = 'true' then 'linear' end as {{ text }})
            as depreciation_method,
        cast(null as {{ text }}) as currency,
        cast(null as {{ text }}) as acquisition_currency,
        cast(assets.disposal_reason as {{ text }}) as source_status,
        cast(
            case
                when assets.disposal is not null then 'disposed'
                when assets.current_value <= cast(assets.value_plan ->> 'residual_value' as decimal(18, 2))
                    then 'fully_depreciated'
                else 'active'
            end as {{ text }}
        ) as status,
        cast(null as timestamp with time zone) as source_modified_at

    from assets
    left join ledger_accounts
        on assets._monitr_entity_id = ledger_accounts._monitr_entity_id
        and assets.ledger_account_id = ledger_accounts.id
    left join first_depreciation
        on assets._monitr_entity_id = first_depreciation._monitr_entity_id
        and assets.id = first_depreciation.id

)

select * from renamed
