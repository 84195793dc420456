-- Yuki open receivables (OutstandingDebtorItems) and payables (OutstandingCreditorItems), renamed and cast; both shown as positive open amounts (Yuki sends creditor amounts negative, credit).
{%- set text = dbt.type_string() %}
{%- set sides = [('receivable', 'outstanding_debtor_items', 1), ('payable', 'outstanding_creditor_items', -1)] %}

with items as (
{%- for item_type, table, sign in sides %}

    select
        cast('yuki' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('{{ item_type }}' as {{ text }}) as item_type,
        cast(reference as {{ text }}) as invoice_number,
        cast(null as {{ text }}) as entry_number,
        cast("date" as date) as invoice_date,
        cast(due_date as date) as due_date,
        cast(contact_id as {{ text }}) as source_relation_id,
        cast(null as {{ text }}) as relation_code,
        cast(contact as {{ text }}) as relation_name,
        cast(description as {{ text }}) as description,
        cast(reference as {{ text }}) as reference,
        cast({{ sign }} * open_amount as decimal(18, 2)) as open_amount,
        cast('EUR' as {{ text }}) as currency,
        cast("type" as {{ text }}) as journal_code

    from {{ monitr_source('yuki', table) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
{%- endfor %}

)

select * from items
