-- Exact Online GL accounts (chart of accounts), renamed and cast; rgs_code is the RGS code the account is linked to in GLAccountClassificationMappings (an extra column of the accounts union), null when it has none.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'gl_accounts') }}

),

classification_mappings as (

    select * from {{ monitr_source('exact_online', 'gl_account_classification_mappings') }}

),

-- An account's classification in an RGS scheme. The scheme's code is 'RGS'; a division linked to
-- several RGS versions has one scheme per version, whose codes start with 'RGS' and end in the
-- version: the latest version's code (the greatest) speaks for the account. The division's own
-- reporting schemes (code '1' and the like) are not RGS.
rgs_mappings as (

    select
        _monitr_entity_id,
        gl_account,
        nullif(trim(classification_code), '') as rgs_code,
        row_number() over (
            partition by _monitr_entity_id, gl_account
            order by gl_scheme_code desc, id
        ) as scheme_rank

    from classification_mappings
    where upper(trim(gl_scheme_code)) like 'RGS%'
        and nullif(trim(classification_code), '') is not null

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(source._monitr_organisation_id as bigint) as organisation_id,
        cast(source._monitr_entity_id as bigint) as entity_id,
        cast(source.id as {{ text }}) as source_id,
        cast(source.division as {{ text }}) as administration_id,
        cast(trim(source.code) as {{ text }}) as account_code,
        cast(source.description as {{ text }}) as account_name,
        cast(
            case upper(source.balance_type)
                when 'B' then 'balance_sheet'
                when 'W' then 'profit_and_loss'
            end as {{ text }}
        ) as statement,
        cast(
            case upper(source.balance_side)
                when 'D' then 'debit'
                when 'C' then 'credit'
            end as {{ text }}
        ) as normal_balance,
        cast(source."type" as {{ text }}) as source_account_type,
        cast(source.type_description as {{ text }}) as source_account_type_name,
        cast(coalesce(source.is_blocked, false) as boolean) as is_blocked,
        cast(source.modified as timestamp with time zone) as source_modified_at,
        cast(rgs_mappings.rgs_code as {{ text }}) as rgs_code

    from source
    left join rgs_mappings
        on source._monitr_entity_id = rgs_mappings._monitr_entity_id
        and source.id = rgs_mappings.gl_account
        and rgs_mappings.scheme_rank = 1

)

select * from renamed
