-- Octopus outstanding customer (receivable) and supplier (payable) items as read at the last import, open amounts positive.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('octopus', 'outstanding_items') }}

),

renamed as (

    select
        cast('octopus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(case relation_type when 'customer' then 'receivable' else 'payable' end as {{ text }}) as item_type,
        cast(reference as {{ text }}) as invoice_number,
        cast(journal_key || '/' || cast(document_sequence_nr as {{ text }}) as {{ text }}) as entry_number,
        cast(document_date as date) as invoice_date,
        cast(expiry_date as date) as due_date,
        cast(relation_key_id as {{ text }}) as source_relation_id,
        cast(relation_key_id as {{ text }}) as relation_code,
        cast(relation_name as {{ text }}) as relation_name,
        cast(comment as {{ text }}) as description,
        cast(reference as {{ text }}) as reference,
        cast(open_amount as decimal(18, 2)) as open_amount,
        cast(currency_code as {{ text }}) as currency,
        cast(journal_key as {{ text }}) as journal_code

    from source

)

select * from renamed
