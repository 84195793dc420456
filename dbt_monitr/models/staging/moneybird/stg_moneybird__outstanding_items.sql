-- Moneybird open sales invoices (receivable: total_unpaid) and purchase invoices (payable: total incl. tax minus payments, as purchase invoices have no unpaid total) as outstanding items, positive amounts in the base currency.
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}
{%- set json_array_elements = 'jsonb_array_elements' if target.type == 'postgres' else 'json_each' %}

with sales_invoices as (

    select * from {{ monitr_source('moneybird', 'sales_invoices') }}
    where state in ('open', 'late', 'reminded', 'pending_payment')

),

purchase_invoices as (

    select * from {{ monitr_source('moneybird', 'purchase_invoices') }}
    where state in ('open', 'late', 'pending_payment')

),

purchase_payments as (

    select
        purchase_invoices._monitr_entity_id,
        purchase_invoices.id,
        sum(cast(payment.value ->> 'price_base' as decimal(18, 2))) as paid

    from purchase_invoices
    cross join lateral {{ json_array_elements }}(cast(purchase_invoices.payments as {{ json }})) as payment
    group by purchase_invoices._monitr_entity_id, purchase_invoices.id

),

receivables as (

    select
        cast('moneybird' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast('receivable' as {{ text }}) as item_type,
        cast(invoice_id as {{ text }}) as invoice_number,
        cast(invoice_id as {{ text }}) as entry_number,
        cast(invoice_date as date) as invoice_date,
        cast(due_date as date) as due_date,
        cast(contact_id as {{ text }}) as source_relation_id,
        cast(cast(contact as {{ json }}) ->> 'customer_id' as {{ text }}) as relation_code,
        cast(cast(contact as {{ json }}) ->> 'company_name' as {{ text }}) as relation_name,
        cast(null as {{ text }}) as description,
        cast(reference as {{ text }}) as reference,
        cast(total_unpaid_base as decimal(18, 2)) as open_amount,
        cast(currency as {{ text }}) as currency,
        cast('sales_invoice' as {{ text }}) as journal_code

    from sales_invoices
    where total_unpaid_base <> 0

),

payables as (

    select
        cast('moneybird' as {{ text }}) as provider,
        cast(purchase_invoices._monitr_organisation_id as bigint) as organisation_id,
        cast(purchase_invoices._monitr_entity_id as bigint) as entity_id,
        cast(purchase_invoices.id as {{ text }}) as source_id,
        cast('payable' as {{ text }}) as item_type,
        cast(purchase_invoices.reference as {{ text }}) as invoice_number,
        cast(purchase_invoices.entry_number as {{ text }}) as entry_number,
        cast(purchase_invoices."date" as date) as invoice_date,
        cast(purchase_invoices.due_date as date) as due_date,
        cast(purchase_invoices.contact_id as {{ text }}) as source_relation_id,
        cast(cast(purchase_invoices.contact as {{ json }}) ->> 'customer_id' as {{ text }}) as relation_code,
        cast(cast(purchase_invoices.contact as {{ json }}) ->> 'company_name' as {{ text }}) as relation_name,
        cast(null as {{ text }}) as description,
        cast(purchase_invoices.reference as {{ text }}) as reference,
        cast(purchase_invoices.total_price_incl_tax_base - coalesce(purchase_payments.paid, 0)
             as decimal(18, 2)) as open_amount,
        cast(purchase_invoices.currency as {{ text }}) as currency,
        cast('purchase_invoice' as {{ text }}) as journal_code

    from purchase_invoices
    left join purchase_payments
        on purchase_invoices._monitr_entity_id = purchase_payments._monitr_entity_id
        and purchase_invoices.id = purchase_payments.id
    where purchase_invoices.total_price_incl_tax_base - coalesce(purchase_payments.paid, 0) <> 0

),

items as (

    select * from receivables
    union all
    select * from payables

)

select * from items
