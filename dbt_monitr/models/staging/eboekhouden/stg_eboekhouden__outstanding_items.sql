-- e-Boekhouden open invoices (GET /v1/mutation/invoice/outstanding snapshots: credDeb=D receivables, credDeb=C payables), renamed and cast; amounts incl. VAT, in euro.
{%- set text = dbt.type_string() %}
{%- set sides = [('receivable', 'outstanding_receivables'), ('payable', 'outstanding_payables')] %}

with
{%- for item_type, table in sides %}

{{ table }} as (

    select * from {{ monitr_source('eboekhouden', table) }}

),
{%- endfor %}

renamed as (
{%- for item_type, table in sides %}

    select
        cast('eboekhouden' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(outstanding_item_id as {{ text }}) as source_id,
        cast('{{ item_type }}' as {{ text }}) as item_type,
        cast(invoice_number as {{ text }}) as invoice_number,
        -- The invoice's mutation number; 0 for invoices in the opening balance.
        cast(mutation_id as {{ text }}) as entry_number,
        cast("date" as date) as invoice_date,
        cast(null as date) as due_date,
        cast(nullif(relation_id, 0) as {{ text }}) as source_relation_id,
        cast(trim(relation_code) as {{ text }}) as relation_code,
        cast(company as {{ text }}) as relation_name,
        cast(null as {{ text }}) as description,
        cast(null as {{ text }}) as reference,
        cast(outstanding_amount as decimal(18, 2)) as open_amount,
        cast('EUR' as {{ text }}) as currency,
        cast(null as {{ text }}) as journal_code

    from {{ table }}
    {%- if not loop.last %}

    union all
    {%- endif %}
{%- endfor %}

)

select * from renamed
