-- Twinfield receivable (browse 100) and payable (browse 200) items with when they were opened and settled: every customer and supplier line (invoices and credit notes, and the payments matched to them), opened on its booking date and settled on its matchdate once matched. What was open on a date d: opened_on <= d and (settled_on is null or settled_on > d).
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
        booking_date as opened_on,
        due_date,
        -- A matched line without a match date (none seen) counts as settled when it was booked.
        case when match_status = 'matched' then coalesce(matched_on, booking_date) end as settled_on,
        source_relation_id,
        relation_code,
        relation_name,
        description,
        amount,
        coalesce(open_amount, 0) as open_amount,
        currency,
        -- Twinfield matches by invoice number within the relation (no match number in the browse).
        cast(case when invoice_number is not null then relation_code || '/' || invoice_number end
             as {{ text }}) as match_reference,
        journal_code

    from relation_lines

)

select * from renamed
