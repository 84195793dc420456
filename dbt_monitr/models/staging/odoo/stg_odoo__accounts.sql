-- Odoo accounts (account.account), renamed and cast; statement and normal balance from the Odoo 17+ account_type.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('odoo', 'accounts') }}

),

renamed as (

    select
        cast('odoo' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast(trim(code) as {{ text }}) as account_code,
        cast(name as {{ text }}) as account_name,
        cast(
            case
                when account_type in ('income', 'income_other', 'expense', 'expense_other',
                                      'expense_depreciation', 'expense_direct_cost')
                    then 'profit_and_loss'
                when account_type = 'off_balance' then null
                when account_type is not null then 'balance_sheet'
            end as {{ text }}
        ) as statement,
        cast(
            case
                when account_type like 'asset%' or account_type like 'expense%' then 'debit'
                when account_type like 'liability%' or account_type like 'equity%'
                    or account_type like 'income%' then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast(account_type as {{ text }}) as source_account_type,
        cast(account_type as {{ text }}) as source_account_type_name,
        cast(coalesce(not active, false) as boolean) as is_blocked,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
