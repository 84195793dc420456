-- Exact Online GL accounts (chart of accounts), renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'gl_accounts') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(division as {{ text }}) as administration_id,
        cast(trim(code) as {{ text }}) as account_code,
        cast(description as {{ text }}) as account_name,
        cast(
            case upper(balance_type)
                when 'B' then 'balance_sheet'
                when 'W' then 'profit_and_loss'
            end as {{ text }}
        ) as statement,
        cast(
            case upper(balance_side)
                when 'D' then 'debit'
                when 'C' then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast("type" as {{ text }}) as source_account_type,
        cast(type_description as {{ text }}) as source_account_type_name,
        cast(coalesce(is_blocked, false) as boolean) as is_blocked,
        cast(modified as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
