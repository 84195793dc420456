-- Xero outstanding invoices (ACCREC, receivable) and bills (ACCPAY, payable): AUTHORISED with an amount due; paid, voided and deleted ones keep their last status in the raw table and drop out here.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('xero', 'invoices') }}

),

renamed as (

    select
        cast('xero' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(invoice_id as {{ text }}) as source_id,
        cast(case upper("type") when 'ACCREC' then 'receivable' else 'payable' end as {{ text }}) as item_type,
        cast(invoice_number as {{ text }}) as invoice_number,
        cast(null as {{ text }}) as entry_number,
        cast("date" as date) as invoice_date,
        cast(due_date as date) as due_date,
        cast(contact_id as {{ text }}) as source_relation_id,
        cast(contact_number as {{ text }}) as relation_code,
        cast(contact_name as {{ text }}) as relation_name,
        cast(null as {{ text }}) as description,
        cast(reference as {{ text }}) as reference,
        cast(amount_due as decimal(18, 2)) as open_amount,
        cast(currency_code as {{ text }}) as currency,
        cast("type" as {{ text }}) as journal_code

    from source
    where upper(status) = 'AUTHORISED'
        and upper("type") in ('ACCREC', 'ACCPAY')
        and amount_due > 0

)

select * from renamed
