-- Moneybird general journal documents (memorial bookings) as GL lines: one per document entry, debit minus credit. Moneybird's help centre has an opening balance entered as a memorial; its reference (kenmerk) starting with Beginbalans or Openingsbalans marks it as an opening entry.
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}
{%- set json_array_elements = 'jsonb_array_elements' if target.type == 'postgres' else 'json_each' %}

with documents as (

    select * from {{ monitr_source('moneybird', 'general_journal_documents') }}

),

lines as (

    select
        cast(documents._monitr_organisation_id as bigint) as organisation_id,
        cast(documents._monitr_entity_id as bigint) as entity_id,
        cast(entry.value ->> 'id' as {{ text }}) as source_id,
        cast(documents.id as {{ text }}) as source_entry_id,
        cast(documents.administration_id as {{ text }}) as administration_id,
        cast(documents.reference as {{ text }}) as entry_number,
        cast(entry.value ->> 'row_order' as integer) as line_sort,
        cast(documents."date" as date) as booking_date,
        cast('general_journal_document' as {{ text }}) as journal_code,
        cast('Memoriaal' as {{ text }}) as journal_name,
        cast(entry.value ->> 'ledger_account_id' as {{ text }}) as source_account_id,
        cast(null as {{ text }}) as account_role,
        cast(entry.value ->> 'description' as {{ text }}) as description,
        cast(entry.value ->> 'debit' as decimal(18, 2))
            - cast(entry.value ->> 'credit' as decimal(18, 2)) as amount,
        cast(null as {{ text }}) as transaction_currency,
        cast(null as {{ text }}) as vat_code,
        cast(entry.value ->> 'project_id' as {{ text }}) as source_project_id,
        cast(entry.value ->> 'contact_id' as {{ text }}) as source_relation_id,
        cast(null as {{ text }}) as relation_code,
        cast(null as {{ text }}) as relation_name,
        cast(coalesce(documents.journal_type, 'general_journal_document') as {{ text }}) as source_entry_type,
        cast(
            case
                when lower(documents.reference) like 'beginbalans%'
                    or lower(documents.reference) like 'openingsbalans%' then 'opening'
                else 'general'
            end as {{ text }}
        ) as entry_type,
        cast(null as {{ text }}) as invoice_number,
        cast(null as date) as due_date,
        cast(documents.updated_at as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(documents._dlt_load_id as {{ text }}) as import_load_id

    from documents
    cross join lateral {{ json_array_elements }}(cast(documents.general_journal_document_entries as {{ json }})) as entry

)

select * from lines
