-- Twinfield open receivables (browse 100) and payables (browse 200): the invoice lines still available for matching, with what is open; renamed and cast.
{%- set text = dbt.type_string() %}
{%- set sides = [('receivable', 'customer_transactions', 1), ('payable', 'supplier_transactions', -1)] %}

with
{%- for item_type, table, sign in sides %}

{{ table }} as (

    select * from {{ monitr_source('twinfield', table) }}

),
{%- endfor %}

renamed as (
{%- for item_type, table, sign in sides %}

    select
        cast('twinfield' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('{{ item_type }}' as {{ text }}) as item_type,
        cast(invnumber as {{ text }}) as invoice_number,
        cast(number as {{ text }}) as entry_number,
        cast("date" as date) as invoice_date,
        cast(datedue as date) as due_date,
        cast(dim2 as {{ text }}) as source_relation_id,
        cast(dim2 as {{ text }}) as relation_code,
        cast(dim2name as {{ text }}) as relation_name,
        cast(description as {{ text }}) as description,
        cast(null as {{ text }}) as reference,
        -- Receivables are debit (+), payables credit (-): both shown as positive open amounts.
        cast({{ sign }} * openbasevaluesigned as decimal(18, 2)) as open_amount,
        cast(curcode as {{ text }}) as currency,
        cast(code as {{ text }}) as journal_code

    from {{ table }}
    where matchstatus = 'available'
    {%- if not loop.last %}

    union all
    {%- endif %}
{%- endfor %}

)

select * from renamed
