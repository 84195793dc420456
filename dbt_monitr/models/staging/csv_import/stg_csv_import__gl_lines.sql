-- CSV import GL lines, renamed and cast; amounts are already signed (debit +) in the reporting currency.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('csv_import', 'gl_lines') }}

),

renamed as (

    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(entry_id as {{ text }}) as source_entry_id,
        cast(administration as {{ text }}) as administration_id,
        cast(entry_number as {{ text }}) as entry_number,
        cast(line_number as integer) as line_number,
        cast("date" as date) as booking_date,
        cast(fiscal_year as integer) as fiscal_year,
        cast(fiscal_period as integer) as fiscal_period,
        cast(trim(journal) as {{ text }}) as journal_code,
        cast(journal_name as {{ text }}) as journal_name,
        cast(trim(account_code) as {{ text }}) as source_account_id,
        cast(trim(account_code) as {{ text }}) as account_code,
        cast(account_name as {{ text }}) as account_name,
        cast(description as {{ text }}) as description,
        cast(amount as decimal(18, 2)) as amount,
        -- Without a foreign-currency column the line is in the reporting currency.
        cast(coalesce(transaction_amount, amount) as decimal(18, 2)) as transaction_amount,
        cast(case when transaction_amount is null then vat_amount end as decimal(18, 2)) as transaction_vat_amount,
        cast(upper(coalesce(transaction_currency, currency)) as {{ text }}) as transaction_currency,
        cast(vat_code as {{ text }}) as vat_code,
        cast(trim(cost_centre) as {{ text }}) as cost_centre_code,
        cast(null as {{ text }}) as cost_centre_name,
        cast(trim(cost_unit) as {{ text }}) as cost_unit_code,
        cast(null as {{ text }}) as cost_unit_name,
        cast(trim(project_code) as {{ text }}) as source_project_id,
        cast(trim(project_code) as {{ text }}) as project_code,
        cast(trim(relation_code) as {{ text }}) as source_relation_id,
        cast(trim(relation_code) as {{ text }}) as relation_code,
        cast(relation_name as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(entry_type as {{ text }}) as source_entry_type,
        cast(coalesce(entry_type, 'other') as {{ text }}) as entry_type,
        coalesce(entry_type = 'opening', false) as is_opening_entry,
        cast(invoice_number as {{ text }}) as invoice_number,
        cast(due_date as date) as due_date,
        cast(null as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(_dlt_load_id as {{ text }}) as import_load_id

    from source

)

select * from renamed
