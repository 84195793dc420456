-- QuickBooks Online open sales invoices (item_type receivable) and bills (payable), Balance > 0, as outstanding items; open_amount is the Balance.
{%- set text = dbt.type_string() %}
{%- set documents = [
    {'table': 'invoices', 'item_type': 'receivable', 'party': 'customer_ref', 'transaction': 'Invoice'},
    {'table': 'bills', 'item_type': 'payable', 'party': 'vendor_ref', 'transaction': 'Bill'},
] %}

with
{%- for document in documents %}

{{ document.table }} as (

    select * from {{ monitr_source('quickbooks', document.table) }}

),
{%- endfor %}

renamed as (
{%- for document in documents %}

    select
        cast('quickbooks' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('{{ document.item_type }}' as {{ text }}) as item_type,
        cast(doc_number as {{ text }}) as invoice_number,
        -- An invoice or bill is a QBO transaction of its own: its id is its entry.
        cast(id as {{ text }}) as entry_number,
        cast(txn_date as date) as invoice_date,
        cast(due_date as date) as due_date,
        cast({{ document.party }}_value as {{ text }}) as source_relation_id,
        cast({{ document.party }}_value as {{ text }}) as relation_code,
        cast({{ document.party }}_name as {{ text }}) as relation_name,
        cast(private_note as {{ text }}) as description,
        cast(doc_number as {{ text }}) as reference,
        cast(balance as decimal(18, 2)) as open_amount,
        cast(currency_ref_value as {{ text }}) as currency,
        cast('{{ document.transaction }}' as {{ text }}) as journal_code

    from {{ document.table }}
    {%- if not loop.last %}

    union all
    {%- endif %}
{%- endfor %}

)

select * from renamed
