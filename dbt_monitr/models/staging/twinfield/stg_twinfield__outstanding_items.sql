-- Twinfield open receivables (browse 100) and payables (browse 200): the invoice lines still available for matching, with what is open (both shown as positive open amounts).
{%- set text = dbt.type_string() %}

with relation_lines as (

    {{ twinfield_relation_lines() }}

),

renamed as (

    select
        provider,
        organisation_id,
        entity_id,
        source_id,
        item_type,
        invoice_number,
        entry_number,
        booking_date as invoice_date,
        due_date,
        source_relation_id,
        relation_code,
        relation_name,
        description,
        cast(null as {{ text }}) as reference,
        open_amount,
        currency,
        journal_code

    from relation_lines
    where match_status = 'available'

)

select * from renamed
