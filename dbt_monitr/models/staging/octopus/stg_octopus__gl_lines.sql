-- Octopus booking lines, renamed and cast: one row per line, debit positive. Purchase and sales documents carry their total on the relation's line (lineNr 0) and their other lines positive, a credit note having a negative total: the line's sign follows from the journal type and the total's sign. The year-opening journal (journal type 5) is the opening entry.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('octopus', 'booking_lines') }}

),

bookyears as (

    select distinct
        _monitr_entity_id,
        bookyear_id,
        bookyear_start_date

    from {{ monitr_source('octopus', 'bookyear_periods') }}

),

accounts as (

    select * from {{ ref('stg_octopus__accounts') }}

),

cost_centres as (

    select * from {{ monitr_source('octopus', 'cost_centres') }}

),

signed as (

    select
        source.*,
        case when source.document_amount < 0 then -1 else 1 end as document_sign,
        case
            when source.journal_type_id = 2 and source.line_nr = 0 then source.amount
            when source.journal_type_id = 2
                then -source.base_amount * (case when source.document_amount < 0 then -1 else 1 end)
            when source.journal_type_id = 1 and source.line_nr = 0 then -source.amount
            when source.journal_type_id = 1
                then source.base_amount * (case when source.document_amount < 0 then -1 else 1 end)
            else source.amount
        end as signed_amount

    from source

),

renamed as (

    select
        cast('octopus' as {{ text }}) as provider,
        cast(signed._monitr_organisation_id as bigint) as organisation_id,
        cast(signed._monitr_entity_id as bigint) as entity_id,
        cast(signed.id as {{ text }}) as source_id,
        cast(cast(signed.bookyear_id as {{ text }}) || '/' || signed.journal_key || '/'
             || cast(signed.document_sequence_nr as {{ text }}) as {{ text }}) as source_entry_id,
        cast(null as {{ text }}) as administration_id,
        cast(signed.journal_key || '/' || cast(signed.document_sequence_nr as {{ text }}) as {{ text }}) as entry_number,
        cast(signed.line_nr as integer) as line_number,
        cast(signed.document_date as date) as booking_date,
        cast(extract(year from bookyears.bookyear_start_date) as integer) as fiscal_year,
        cast(signed.bookyear_periode_nr as integer) as fiscal_period,
        cast(signed.journal_key as {{ text }}) as journal_code,
        cast(null as {{ text }}) as journal_name,
        cast(signed.account_key as {{ text }}) as source_account_id,
        cast(signed.account_key as {{ text }}) as account_code,
        cast(accounts.account_name as {{ text }}) as account_name,
        cast(coalesce(signed.line_comment, signed.comment) as {{ text }}) as description,
        cast(signed.signed_amount as decimal(18, 2)) as amount,
        cast(signed.signed_amount as decimal(18, 2)) as transaction_amount,
        cast(
            case
                when signed.journal_type_id = 2 then -signed.vat_amount * signed.document_sign
                when signed.journal_type_id = 1 then signed.vat_amount * signed.document_sign
            end as decimal(18, 2)
        ) as transaction_vat_amount,
        cast(signed.currency_code as {{ text }}) as transaction_currency,
        cast(signed.vat_code_key as {{ text }}) as vat_code,
        cast(signed.cost_centre_id as {{ text }}) as cost_centre_code,
        cast(cost_centres.description as {{ text }}) as cost_centre_name,
        cast(null as {{ text }}) as cost_unit_code,
        cast(null as {{ text }}) as cost_unit_name,
        cast(null as {{ text }}) as source_project_id,
        cast(null as {{ text }}) as project_code,
        cast(coalesce(signed.line_relation_id, signed.relation_id) as {{ text }}) as source_relation_id,
        cast(coalesce(signed.line_relation_id, signed.relation_id) as {{ text }}) as relation_code,
        cast(null as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(signed.journal_type_id as {{ text }}) as source_entry_type,
        cast(
            case signed.journal_type_id
                when 5 then 'opening'
                when 2 then case when signed.document_sign < 0 then 'sales_credit' else 'sales' end
                when 1 then case when signed.document_sign < 0 then 'purchase_credit' else 'purchase' end
                when 3 then 'bank'
                when 4 then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        coalesce(signed.journal_type_id = 5, false) as is_opening_entry,
        cast(signed.reference as {{ text }}) as invoice_number,
        cast(signed.expiry_date as date) as due_date,
        cast(signed.modified_time_stamp as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(signed._dlt_load_id as {{ text }}) as import_load_id

    from signed
    left join bookyears
        on signed._monitr_entity_id = bookyears._monitr_entity_id
        and signed.bookyear_id = bookyears.bookyear_id
    left join accounts
        on signed._monitr_entity_id = accounts.entity_id
        and cast(signed.account_key as {{ text }}) = accounts.account_code
    left join cost_centres
        on signed._monitr_entity_id = cost_centres._monitr_entity_id
        and signed.cost_centre_id = cost_centres.cost_centre_key_id

),

final as (

    select
        provider, organisation_id, entity_id, source_id, source_entry_id, administration_id,
        entry_number, line_number, booking_date,
        fiscal_year, fiscal_period, journal_code, journal_name, source_account_id, account_code, account_name,
        description, amount, transaction_amount, transaction_vat_amount, transaction_currency,
        vat_code, cost_centre_code, cost_centre_name, cost_unit_code, cost_unit_name,
        source_project_id, project_code, source_relation_id, relation_code, relation_name,
        source_fixed_asset_id, source_entry_type, entry_type, is_opening_entry, invoice_number,
        due_date, source_modified_at, import_load_id

    from renamed

)

select * from final
