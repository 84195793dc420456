-- Yuki transaction lines (GetTransactionDetails), renamed and cast: one row per line, amount signed (debit positive, credit negative, as Yuki sends it); an entry is a document (document_id); fiscal years are calendar years and periods months; opening balances are the 'Opening balance' documents of 1 January.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('yuki', 'gl_transactions') }}

),

renamed as (

    select
        cast('yuki' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(document_id as {{ text }}) as source_entry_id,
        cast(null as {{ text }}) as administration_id,
        cast(null as {{ text }}) as entry_number,
        cast(null as integer) as line_number,
        cast(transaction_date as date) as booking_date,
        cast(extract(year from transaction_date) as integer) as fiscal_year,
        cast(extract(month from transaction_date) as integer) as fiscal_period,
        cast(document_type as {{ text }}) as journal_code,
        cast(document_type as {{ text }}) as journal_name,
        cast(gl_account_code as {{ text }}) as source_account_id,
        cast(gl_account_code as {{ text }}) as account_code,
        cast(null as {{ text }}) as account_name,
        cast(description as {{ text }}) as description,
        cast(transaction_amount as decimal(18, 2)) as amount,
        cast(transaction_amount as decimal(18, 2)) as transaction_amount,
        cast(null as decimal(18, 2)) as transaction_vat_amount,
        cast(currency as {{ text }}) as transaction_currency,
        cast(vat_code as {{ text }}) as vat_code,
        cast(null as {{ text }}) as cost_centre_code,
        cast(null as {{ text }}) as cost_centre_name,
        cast(null as {{ text }}) as cost_unit_code,
        cast(null as {{ text }}) as cost_unit_name,
        cast(project_code as {{ text }}) as source_project_id,
        cast(project_code as {{ text }}) as project_code,
        cast(contact_code as {{ text }}) as source_relation_id,
        cast(contact_code as {{ text }}) as relation_code,
        cast(full_name as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(document_type as {{ text }}) as source_entry_type,
        cast(
            case document_type
                when 'Opening balance' then 'opening'
                when 'Sales invoice' then 'sales'
                when 'Sales credit note' then 'sales_credit'
                when 'Purchase invoice' then 'purchase'
                when 'Purchase credit note' then 'purchase_credit'
                when 'Bank statement' then 'bank'
                when 'Depreciation' then 'depreciation'
                when 'Memorial' then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        coalesce(document_type = 'Opening balance', false) as is_opening_entry,
        cast(document_reference as {{ text }}) as invoice_number,
        cast(null as date) as due_date,
        cast(null as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(_dlt_load_id as {{ text }}) as import_load_id

    from source

)

select * from renamed
