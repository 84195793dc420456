-- Horus general accounts (BE PCMN), renamed and cast: type says the statement, nature the normal balance.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('horus', 'accounts') }}

),

renamed as (

    select
        cast('horus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast("number" as {{ text }}) as account_code,
        cast(name as {{ text }}) as account_name,
        cast(
            case "type"
                when 'balanceSheet' then 'balance_sheet'
                when 'profitAndLoss' then 'profit_and_loss'
            end as {{ text }}
        ) as statement,
        cast(case nature when 'debit' then 'debit' when 'credit' then 'credit' end as {{ text }}) as normal_balance,
        cast("type" as {{ text }}) as source_account_type,
        cast('class ' || cast("class" as {{ text }}) as {{ text }}) as source_account_type_name,
        cast(not coalesce(is_active, true) as boolean) as is_blocked,
        cast(modified_at as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
