-- Exact Online GL transaction lines, renamed and cast; budget lines (entry type 3000) are not bookings and are left out.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'gl_transaction_lines') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(entry_id as {{ text }}) as source_entry_id,
        cast(division as {{ text }}) as administration_id,
        cast(entry_number as {{ text }}) as entry_number,
        cast(line_number as integer) as line_number,
        cast("date" as date) as booking_date,
        cast(financial_year as integer) as fiscal_year,
        cast(financial_period as integer) as fiscal_period,
        cast(journal_code as {{ text }}) as journal_code,
        cast(journal_description as {{ text }}) as journal_name,
        cast(gl_account as {{ text }}) as source_account_id,
        cast(trim(gl_account_code) as {{ text }}) as account_code,
        cast(gl_account_description as {{ text }}) as account_name,
        cast(description as {{ text }}) as description,
        cast(amount_dc as decimal(18, 2)) as amount,
        cast(amount_fc as decimal(18, 2)) as transaction_amount,
        cast(amount_vatfc as decimal(18, 2)) as transaction_vat_amount,
        cast(currency as {{ text }}) as transaction_currency,
        cast(vat_code as {{ text }}) as vat_code,
        cast(trim(cost_center) as {{ text }}) as cost_centre_code,
        cast(cost_center_description as {{ text }}) as cost_centre_name,
        cast(trim(cost_unit) as {{ text }}) as cost_unit_code,
        cast(cost_unit_description as {{ text }}) as cost_unit_name,
        cast(project as {{ text }}) as source_project_id,
        cast(trim(project_code) as {{ text }}) as project_code,
        cast(account as {{ text }}) as source_relation_id,
        cast(trim(account_code) as {{ text }}) as relation_code,
        cast(account_name as {{ text }}) as relation_name,
        cast(asset as {{ text }}) as source_fixed_asset_id,
        cast("type" as {{ text }}) as source_entry_type,
        cast(
            case "type"
                when 10 then 'opening'
                when 328 then 'opening'
                when 20 then 'sales'
                when 21 then 'sales_credit'
                when 30 then 'purchase'
                when 31 then 'purchase_credit'
                when 40 then 'bank'
                when 70 then 'depreciation'
                when 90 then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        coalesce("type" in (10, 328), false) as is_opening_entry,
        cast(invoice_number as {{ text }}) as invoice_number,
        cast(due_date as date) as due_date,
        cast(modified as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(_dlt_load_id as {{ text }}) as import_load_id

    from source
    where "type" is distinct from 3000

)

select * from renamed
