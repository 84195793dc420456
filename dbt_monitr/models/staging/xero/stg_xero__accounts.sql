-- Xero chart of accounts, renamed and cast; statement and normal balance follow the account Class.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('xero', 'accounts') }}

),

renamed as (

    select
        cast('xero' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(account_id as {{ text }}) as source_id,
        cast(coalesce(trim(code), account_id) as {{ text }}) as account_code,
        cast(name as {{ text }}) as account_name,
        cast(
            case upper(class)
                when 'ASSET' then 'balance_sheet'
                when 'LIABILITY' then 'balance_sheet'
                when 'EQUITY' then 'balance_sheet'
                when 'REVENUE' then 'profit_and_loss'
                when 'EXPENSE' then 'profit_and_loss'
            end as {{ text }}
        ) as statement,
        cast(
            case upper(class)
                when 'ASSET' then 'debit'
                when 'EXPENSE' then 'debit'
                when 'LIABILITY' then 'credit'
                when 'EQUITY' then 'credit'
                when 'REVENUE' then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast("type" as {{ text }}) as source_account_type,
        cast(class as {{ text }}) as source_account_type_name,
        cast(coalesce(upper(status) = 'ARCHIVED', false) as boolean) as is_blocked,
        cast(updated_date_utc as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
