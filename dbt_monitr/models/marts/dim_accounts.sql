-- GL accounts of every provider: one row per account of an entity's chart of accounts.

with accounts as (

    select * from {{ ref('int_accounts__unioned') }}

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'source_id']) }} as account_key,
        provider,
        organisation_id,
        entity_id,
        source_id as source_account_id,
        account_code,
        account_name,
        statement,
        normal_balance,
        is_blocked

    from accounts

)

select * from final
