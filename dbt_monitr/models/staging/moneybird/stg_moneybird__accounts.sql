-- Moneybird ledger accounts, renamed and cast; rgs_code is the account's RGS taxonomy code (an extra column of the accounts union).
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}

with source as (

    select *, cast(taxonomy_item as {{ json }}) ->> 'code' as taxonomy_code
    from {{ monitr_source('moneybird', 'ledger_accounts') }}

),

renamed as (

    select
        cast('moneybird' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(administration_id as {{ text }}) as administration_id,
        -- account_id is the general ledger code; Moneybird lets it be empty, the id then stands in.
        cast(coalesce(nullif(trim(account_id), ''), id) as {{ text }}) as account_code,
        cast(name as {{ text }}) as account_name,
        cast(
            case
                when left(taxonomy_code, 1) = 'B' then 'balance_sheet'
                when left(taxonomy_code, 1) = 'W' then 'profit_and_loss'
                when account_type in ('revenue', 'direct_costs', 'expenses', 'other_income_expenses')
                    then 'profit_and_loss'
                else 'balance_sheet'
            end as {{ text }}
        ) as statement,
        -- Moneybird has no balance side: the account type's usual side.
        cast(
            case
                when account_type in ('non_current_assets', 'current_assets', 'direct_costs', 'expenses')
                    then 'debit'
                when account_type in ('equity', 'provisions', 'non_current_liabilities',
                                      'current_liabilities', 'revenue')
                    then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast(account_type as {{ text }}) as source_account_type,
        cast(replace(account_type, '_', ' ') as {{ text }}) as source_account_type_name,
        cast(not coalesce(active, true) as boolean) as is_blocked,
        cast(updated_at as timestamp with time zone) as source_modified_at,
        cast(taxonomy_code as {{ text }}) as rgs_code

    from source

)

select * from renamed
