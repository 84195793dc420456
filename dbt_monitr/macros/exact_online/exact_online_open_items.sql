{#- Exact's ReceivablesList and PayablesList share one shape: one rename-and-cast for both. -#}
{% macro exact_online_open_items(table_name, item_type) %}
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', table_name) }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('{{ item_type }}' as {{ text }}) as item_type,
        cast(invoice_number as {{ text }}) as invoice_number,
        cast(entry_number as {{ text }}) as entry_number,
        cast(invoice_date as date) as invoice_date,
        cast(due_date as date) as due_date,
        cast(account_id as {{ text }}) as source_relation_id,
        cast(trim(account_code) as {{ text }}) as relation_code,
        cast(account_name as {{ text }}) as relation_name,
        cast(description as {{ text }}) as description,
        cast(your_ref as {{ text }}) as reference,
        cast(amount as decimal(18, 2)) as open_amount,
        cast(currency_code as {{ text }}) as currency,
        cast(journal_code as {{ text }}) as journal_code

    from source

)

select * from renamed
{% endmacro %}
