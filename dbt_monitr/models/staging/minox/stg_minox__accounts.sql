-- Minox ledger accounts (grootboekrekeningen), renamed and cast: type balance is the balance sheet, profit_loss the profit and loss account; debit_credit_suggestion is the normal balance.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('minox', 'ledger_accounts') }}

),

renamed as (

    select
        cast('minox' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast(id as {{ text }}) as account_code,
        cast(description as {{ text }}) as account_name,
        cast(
            case "type"
                when 'balance' then 'balance_sheet'
                when 'profit_loss' then 'profit_and_loss'
            end as {{ text }}
        ) as statement,
        cast(
            case debit_credit_suggestion
                when 'debet' then 'debit'
                when 'credit' then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast("type" as {{ text }}) as source_account_type,
        cast("type" as {{ text }}) as source_account_type_name,
        cast(coalesce(blocked_active, false) as boolean) as is_blocked,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
