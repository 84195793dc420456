-- QuickBooks Online accounts (chart of accounts), renamed and cast; the code is AcctNum, or the id where account numbers are off.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('quickbooks', 'accounts') }}

),

renamed as (

    select
        cast('quickbooks' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast(coalesce(nullif(trim(acct_num), ''), id) as {{ text }}) as account_code,
        cast(coalesce(fully_qualified_name, name) as {{ text }}) as account_name,
        cast(
            case classification
                when 'Asset' then 'balance_sheet'
                when 'Liability' then 'balance_sheet'
                when 'Equity' then 'balance_sheet'
                when 'Revenue' then 'profit_and_loss'
                when 'Expense' then 'profit_and_loss'
            end as {{ text }}
        ) as statement,
        cast(
            case classification
                when 'Asset' then 'debit'
                when 'Expense' then 'debit'
                when 'Liability' then 'credit'
                when 'Equity' then 'credit'
                when 'Revenue' then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast(account_type as {{ text }}) as source_account_type,
        cast(account_sub_type as {{ text }}) as source_account_type_name,
        cast(not coalesce(active, true) as boolean) as is_blocked,
        cast(meta_data_last_updated_time as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
