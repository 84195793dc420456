-- e-Boekhouden ledgers (chart of accounts), renamed and cast; statement and normal balance from the ledger category.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('eboekhouden', 'ledgers') }}

),

renamed as (

    select
        cast('eboekhouden' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast(trim(code) as {{ text }}) as account_code,
        cast(description as {{ text }}) as account_name,
        cast(
            case
                when upper(category) = 'VW' then 'profit_and_loss'
                when category is not null then 'balance_sheet'
            end as {{ text }}
        ) as statement,
        -- Only the system categories say which side a ledger sits on; BAL and VW do not.
        cast(
            case upper(category)
                when 'FIN' then 'debit'
                when 'DEB' then 'debit'
                when 'VOOR' then 'debit'
                when 'CRED' then 'credit'
                when 'AF' then 'credit'
                when 'AF19' then 'credit'
                when 'AF6' then 'credit'
                when 'AFOVERIG' then 'credit'
                when 'BTWRC' then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast(category as {{ text }}) as source_account_type,
        cast("group" as {{ text }}) as source_account_type_name,
        cast(false as boolean) as is_blocked,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
