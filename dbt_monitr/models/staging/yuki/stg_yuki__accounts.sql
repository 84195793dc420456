-- Yuki GL accounts (GetGLAccountScheme), renamed and cast: type 1 assets and 2 liabilities and equity are the balance sheet (B), 3 revenue and 4 and up costs profit and loss (W).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('yuki', 'accounts') }}

),

renamed as (

    select
        cast('yuki' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(code as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast(code as {{ text }}) as account_code,
        cast(descripton as {{ text }}) as account_name,
        cast(case when "type" in (1, 2) then 'balance_sheet' else 'profit_and_loss' end as {{ text }}) as statement,
        cast(case when "type" in (2, 3) then 'credit' else 'debit' end as {{ text }}) as normal_balance,
        cast("type" as {{ text }}) as source_account_type,
        cast(
            case "type"
                when 1 then 'Activa'
                when 2 then 'Passiva'
                when 3 then 'Opbrengsten'
                else 'Kosten'
            end as {{ text }}
        ) as source_account_type_name,
        coalesce(lower(is_enabled) = 'false', false) as is_blocked,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
