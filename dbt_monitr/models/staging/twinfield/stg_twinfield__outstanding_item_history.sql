-- Twinfield receivable (browse 100) and payable (browse 200) items with when they were opened and settled: every customer and supplier line (invoices and credit notes, and the payments matched to them), opened on its booking date and settled on its matchdate once matched. What was open on a date d: opened_on <= d and (settled_on is null or settled_on > d).
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
        cast("date" as date) as opened_on,
        cast(datedue as date) as due_date,
        -- A matched line without a match date (none seen) counts as settled when it was booked.
        cast(case when matchstatus = 'matched' then coalesce(matchdate, "date") end as date) as settled_on,
        cast(dim2 as {{ text }}) as source_relation_id,
        cast(dim2 as {{ text }}) as relation_code,
        cast(dim2name as {{ text }}) as relation_name,
        cast(description as {{ text }}) as description,
        -- Receivables are debit (+), payables credit (-): an invoice is positive on both sides, a
        -- payment or credit note negative.
        cast({{ sign }} * basevaluesigned as decimal(18, 2)) as amount,
        cast({{ sign }} * coalesce(openbasevaluesigned, 0) as decimal(18, 2)) as open_amount,
        cast(curcode as {{ text }}) as currency,
        -- Twinfield matches by invoice number within the relation (no match number in the browse).
        cast(case when invnumber is not null then dim2 || '/' || invnumber end as {{ text }}) as match_reference,
        cast(code as {{ text }}) as journal_code

    from {{ table }}
    {%- if not loop.last %}

    union all
    {%- endif %}
{%- endfor %}

)

select * from renamed
