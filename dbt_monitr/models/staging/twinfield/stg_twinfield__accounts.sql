-- Twinfield GL accounts (dimensions BAS: balance sheet, PNL: profit and loss), renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('twinfield', 'accounts') }}

),

renamed as (

    select
        cast('twinfield' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(code as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast(code as {{ text }}) as account_code,
        cast(naam as {{ text }}) as account_name,
        cast(case dimtype when 'BAS' then 'balance_sheet' else 'profit_and_loss' end as {{ text }}) as statement,
        cast(null as {{ text }}) as normal_balance,
        cast(dimtype as {{ text }}) as source_account_type,
        cast(dimtype as {{ text }}) as source_account_type_name,
        false as is_blocked,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
