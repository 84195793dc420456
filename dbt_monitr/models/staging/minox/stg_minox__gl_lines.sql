-- Minox transaction lines (year/{year}/transaction_lines), renamed and cast: amount = debit - credit (debit positive); entry type from the line's journal type; opening entries (beginbalans) are in period 0. administration_id is the entity's (client number / administration id are not on the lines).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('minox', 'transaction_lines') }}

),

journals as (

    select _monitr_entity_id, id, "type" from {{ monitr_source('minox', 'journals') }}

),

renamed as (

    select
        cast('minox' as {{ text }}) as provider,
        cast(source._monitr_organisation_id as bigint) as organisation_id,
        cast(source._monitr_entity_id as bigint) as entity_id,
        cast(source.id as {{ text }}) as source_id,
        cast(source.batch_id as {{ text }}) as source_entry_id,
        cast(null as {{ text }}) as administration_id,
        cast(source.entry_number as {{ text }}) as entry_number,
        cast(source.line_number as integer) as line_number,
        cast(source.document_date as date) as booking_date,
        cast(source.period_fiscal_year as integer) as fiscal_year,
        cast(source.period_id as integer) as fiscal_period,
        cast(source.journal_id as {{ text }}) as journal_code,
        cast(source.journal_description as {{ text }}) as journal_name,
        cast(source.account_id as {{ text }}) as source_account_id,
        cast(source.account_id as {{ text }}) as account_code,
        cast(source.account_description as {{ text }}) as account_name,
        cast(source.description as {{ text }}) as description,
        cast(coalesce(source.debit, 0) - coalesce(source.credit, 0) as decimal(18, 2)) as amount,
        cast(coalesce(source.debit, 0) - coalesce(source.credit, 0) as decimal(18, 2)) as transaction_amount,
        cast(source.vat_amount as decimal(18, 2)) as transaction_vat_amount,
        cast(coalesce(source.currency_id, 'EUR') as {{ text }}) as transaction_currency,
        cast(source.vat_id as {{ text }}) as vat_code,
        cast(source.cost_center_id as {{ text }}) as cost_centre_code,
        cast(source.cost_center_description as {{ text }}) as cost_centre_name,
        cast(source.cost_type_id as {{ text }}) as cost_unit_code,
        cast(source.cost_type_description as {{ text }}) as cost_unit_name,
        cast(null as {{ text }}) as source_project_id,
        cast(null as {{ text }}) as project_code,
        cast(source.relation_id as {{ text }}) as source_relation_id,
        cast(source.relation_id as {{ text }}) as relation_code,
        cast(source.relation_name as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(journals."type" as {{ text }}) as source_entry_type,
        cast(
            case
                when source.period_id = 0 then 'opening'
                when journals."type" in ('sales', 'purchase', 'bank', 'general', 'opening')
                    then journals."type"
                else 'other'
            end as {{ text }}
        ) as entry_type,
        coalesce(source.period_id = 0, false) as is_opening_entry,
        cast(source.invoice_number as {{ text }}) as invoice_number,
        cast(source.due_date as date) as due_date,
        cast(null as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(source._dlt_load_id as {{ text }}) as import_load_id

    from source
    left join journals
        on journals._monitr_entity_id = source._monitr_entity_id
        and journals.id = source.journal_id

)

select * from renamed
