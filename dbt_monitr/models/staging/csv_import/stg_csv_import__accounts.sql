-- CSV import accounts (chart of accounts), renamed and cast; statement and normal_balance are already canonical; rgs_code is the upload's RGS code (an extra column of the accounts union).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('csv_import', 'accounts') }}

),

renamed as (

    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(trim(code) as {{ text }}) as source_id,
        cast(administration as {{ text }}) as administration_id,
        cast(trim(code) as {{ text }}) as account_code,
        cast(name as {{ text }}) as account_name,
        cast(statement as {{ text }}) as statement,
        cast(normal_balance as {{ text }}) as normal_balance,
        cast(account_type as {{ text }}) as source_account_type,
        cast(null as {{ text }}) as source_account_type_name,
        cast(coalesce(is_blocked, false) as boolean) as is_blocked,
        cast(null as timestamp with time zone) as source_modified_at,
        cast(nullif(trim(rgs_code), '') as {{ text }}) as rgs_code

    from source

)

select * from renamed
