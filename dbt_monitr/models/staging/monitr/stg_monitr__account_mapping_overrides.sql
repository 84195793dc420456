-- monitr.account_mapping_overrides renamed and cast: the standard-chart code an organisation (or one of its entities, entity_id set) maps a ledger account to.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('monitr', 'account_mapping_overrides') }}

),

final as (

    select
        cast(organisation_id as bigint) as organisation_id,
        cast(entity_id as bigint) as entity_id,
        cast(trim(account_code) as {{ text }}) as account_code,
        cast(trim(standard_code) as {{ text }}) as standard_code,
        cast(note as {{ text }}) as note,
        cast(updated_at as timestamp with time zone) as updated_at

    from source

)

select * from final
