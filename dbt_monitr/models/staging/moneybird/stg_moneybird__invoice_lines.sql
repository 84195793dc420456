-- Moneybird sales and purchase invoices as GL lines, in the base currency: the control line (total incl. tax: debtors debited for a sales invoice, creditors credited for a purchase invoice), a line per detail (excl. tax, on the other side) and the VAT: per tax rate from a sales invoice's tax totals, incl. minus excl. for a purchase invoice (which has no tax totals). Credit invoices have negative amounts, so their signs turn. Drafts, scheduled sales invoices and new (unprocessed) purchase documents are not booked. The control and VAT accounts are not named on the invoice: stg_moneybird__gl_lines finds them by account_role.
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}
{%- set json_array_elements = 'jsonb_array_elements' if target.type == 'postgres' else 'json_each' %}
{%- set document_columns %}
        invoices.organisation_id,
        invoices.entity_id,
        invoices.source_entry_id,
        invoices.administration_id,
        invoices.entry_number,
        invoices.booking_date,
        invoices.journal_code,
        invoices.journal_name,
        invoices.transaction_currency,
        invoices.source_relation_id,
        cast(invoices.contact ->> 'customer_id' as {{ text }}) as relation_code,
        cast(coalesce(invoices.contact ->> 'company_name',
                      trim(concat(invoices.contact ->> 'firstname', ' ', invoices.contact ->> 'lastname')))
             as {{ text }}) as relation_name,
        invoices.source_entry_type,
        invoices.entry_type,
        invoices.invoice_number,
        invoices.due_date,
        invoices.source_modified_at,
        invoices.import_load_id
{%- endset %}

with sales_invoices as (

    select * from {{ monitr_source('moneybird', 'sales_invoices') }}
    where state not in ('draft', 'scheduled')

),

purchase_invoices as (

    select * from {{ monitr_source('moneybird', 'purchase_invoices') }}
    where state <> 'new'

),

invoices as (

    select
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_entry_id,
        cast(administration_id as {{ text }}) as administration_id,
        cast(invoice_id as {{ text }}) as entry_number,
        cast(invoice_date as date) as booking_date,
        cast('sales_invoice' as {{ text }}) as journal_code,
        cast('Verkoopfacturen' as {{ text }}) as journal_name,
        cast(currency as {{ text }}) as transaction_currency,
        cast(contact_id as {{ text }}) as source_relation_id,
        cast(contact as {{ json }}) as contact,
        cast(state as {{ text }}) as source_entry_type,
        cast(case when original_sales_invoice_id is null then 'sales' else 'sales_credit' end
             as {{ text }}) as entry_type,
        cast(invoice_id as {{ text }}) as invoice_number,
        cast(due_date as date) as due_date,
        cast(updated_at as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(_dlt_load_id as {{ text }}) as import_load_id,
        -- Revenue is credited: the control line carries the total, the details the opposite sign.
        1 as control_sign,
        cast('debtors' as {{ text }}) as control_role,
        cast(total_price_incl_tax_base as decimal(18, 2)) as total_incl,
        cast(total_price_excl_tax_base as decimal(18, 2)) as total_excl,
        cast(details as {{ json }}) as details,
        cast(tax_totals as {{ json }}) as tax_totals

    from sales_invoices

    union all

    select
        cast(_monitr_organisation_id as bigint),
        cast(_monitr_entity_id as bigint),
        cast(id as {{ text }}),
        cast(administration_id as {{ text }}),
        cast(entry_number as {{ text }}),
        cast("date" as date),
        cast('purchase_invoice' as {{ text }}),
        cast('Inkoopfacturen' as {{ text }}),
        cast(currency as {{ text }}),
        cast(contact_id as {{ text }}),
        cast(contact as {{ json }}),
        cast(state as {{ text }}),
        cast(case when total_price_incl_tax_base < 0 then 'purchase_credit' else 'purchase' end
             as {{ text }}),
        cast(reference as {{ text }}),
        cast(due_date as date),
        cast(updated_at as timestamp with time zone),
        cast(_dlt_load_id as {{ text }}),
        -1,
        cast('creditors' as {{ text }}),
        cast(total_price_incl_tax_base as decimal(18, 2)),
        cast(total_price_excl_tax_base as decimal(18, 2)),
        cast(details as {{ json }}),
        cast(null as {{ json }})

    from purchase_invoices

),

control_lines as (

    select
        {{ document_columns }},
        cast(invoices.source_entry_id || ':' || invoices.control_role as {{ text }}) as source_id,
        0 as line_sort,
        cast(null as {{ text }}) as source_account_id,
        invoices.control_role as account_role,
        cast(null as {{ text }}) as description,
        invoices.control_sign * invoices.total_incl as amount,
        cast(null as {{ text }}) as vat_code,
        cast(null as {{ text }}) as source_project_id

    from invoices

),

detail_lines as (

    select
        {{ document_columns }},
        cast(detail.value ->> 'id' as {{ text }}) as source_id,
        cast(detail.value ->> 'row_order' as integer) as line_sort,
        cast(detail.value ->> 'ledger_account_id' as {{ text }}) as source_account_id,
        cast(null as {{ text }}) as account_role,
        cast(detail.value ->> 'description' as {{ text }}) as description,
        -invoices.control_sign
            * cast(detail.value ->> 'total_price_excl_tax_with_discount_base' as decimal(18, 2)) as amount,
        cast(detail.value ->> 'tax_rate_id' as {{ text }}) as vat_code,
        cast(detail.value ->> 'project_id' as {{ text }}) as source_project_id

    from invoices
    cross join lateral {{ json_array_elements }}(invoices.details) as detail

),

sales_tax_lines as (

    select
        {{ document_columns }},
        cast(invoices.source_entry_id || ':tax:' || (tax.value ->> 'tax_rate_id') as {{ text }}) as source_id,
        1000000 as line_sort,
        cast(null as {{ text }}) as source_account_id,
        cast('sales_tax' as {{ text }}) as account_role,
        cast(null as {{ text }}) as description,
        -cast(tax.value ->> 'tax_amount_base' as decimal(18, 2)) as amount,
        cast(tax.value ->> 'tax_rate_id' as {{ text }}) as vat_code,
        cast(null as {{ text }}) as source_project_id

    from invoices
    cross join lateral {{ json_array_elements }}(invoices.tax_totals) as tax
    where cast(tax.value ->> 'tax_amount_base' as decimal(18, 2)) <> 0

),

purchase_tax_lines as (

    select
        {{ document_columns }},
        cast(invoices.source_entry_id || ':tax' as {{ text }}) as source_id,
        1000000 as line_sort,
        cast(null as {{ text }}) as source_account_id,
        cast('purchase_tax' as {{ text }}) as account_role,
        cast(null as {{ text }}) as description,
        invoices.total_incl - invoices.total_excl as amount,
        cast(null as {{ text }}) as vat_code,
        cast(null as {{ text }}) as source_project_id

    from invoices
    where invoices.control_role = 'creditors' and invoices.total_incl <> invoices.total_excl

),

lines as (

    select * from control_lines
    union all
    select * from detail_lines
    union all
    select * from sales_tax_lines
    union all
    select * from purchase_tax_lines

)

select * from lines
