{#- Twinfield's customer (browse 100) and supplier (browse 200) lines as one renamed and cast
    shape: what its open items (stg_twinfield__outstanding_items) and their history
    (stg_twinfield__outstanding_item_history) are both made of. Amounts are signed as the
    balance: receivables debit (+), payables credit (-), so an invoice is positive on both sides,
    a payment or credit note negative. -#}
{% macro twinfield_relation_lines() %}
{%- set text = dbt.type_string() %}
{%- set sides = [('receivable', 'customer_transactions', 1), ('payable', 'supplier_transactions', -1)] %}
{%- for item_type, table, sign in sides %}

    select
        cast('twinfield' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('{{ item_type }}' as {{ text }}) as item_type,
        cast(invnumber as {{ text }}) as invoice_number,
        cast(number as {{ text }}) as entry_number,
        cast("date" as date) as booking_date,
        cast(datedue as date) as due_date,
        cast(matchstatus as {{ text }}) as match_status,
        cast(matchdate as date) as matched_on,
        cast(dim2 as {{ text }}) as source_relation_id,
        cast(dim2 as {{ text }}) as relation_code,
        cast(dim2name as {{ text }}) as relation_name,
        cast(description as {{ text }}) as description,
        cast({{ sign }} * basevaluesigned as decimal(18, 2)) as amount,
        cast({{ sign }} * openbasevaluesigned as decimal(18, 2)) as open_amount,
        cast(curcode as {{ text }}) as currency,
        cast(code as {{ text }}) as journal_code

    from {{ monitr_source('twinfield', table) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
{%- endfor %}
{% endmacro %}
