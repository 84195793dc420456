-- Twinfield GL lines (browse 030_3), renamed and cast: one row per transaction line; corrections are reversing transactions, never deletions.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('twinfield', 'gl_transaction_lines') }}

),

renamed as (

    select
        cast('twinfield' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(office || '/' || code || '/' || cast(number as {{ text }}) as {{ text }}) as source_entry_id,
        cast(office as {{ text }}) as administration_id,
        cast(number as {{ text }}) as entry_number,
        cast(line as integer) as line_number,
        cast("date" as date) as booking_date,
        cast("year" as integer) as fiscal_year,
        cast(period as integer) as fiscal_period,
        cast(code as {{ text }}) as journal_code,
        cast(null as {{ text }}) as journal_name,
        cast(dim1 as {{ text }}) as source_account_id,
        cast(dim1 as {{ text }}) as account_code,
        cast(dim1name as {{ text }}) as account_name,
        cast(description as {{ text }}) as description,
        cast(valuesigned as decimal(18, 2)) as amount,
        cast(valuesigned as decimal(18, 2)) as transaction_amount,
        cast(vatbasevaluesigned as decimal(18, 2)) as transaction_vat_amount,
        cast(curcode as {{ text }}) as transaction_currency,
        cast(vatcode as {{ text }}) as vat_code,
        cast(case when dim2type = 'KPL' then dim2 end as {{ text }}) as cost_centre_code,
        cast(case when dim2type = 'KPL' then dim2name end as {{ text }}) as cost_centre_name,
        cast(null as {{ text }}) as cost_unit_code,
        cast(null as {{ text }}) as cost_unit_name,
        cast(case when dim3type = 'PRJ' then dim3 end as {{ text }}) as source_project_id,
        cast(case when dim3type = 'PRJ' then dim3 end as {{ text }}) as project_code,
        cast(case when dim2type in ('DEB', 'CRD') then dim2 end as {{ text }}) as source_relation_id,
        cast(case when dim2type in ('DEB', 'CRD') then dim2 end as {{ text }}) as relation_code,
        cast(case when dim2type in ('DEB', 'CRD') then dim2name end as {{ text }}) as relation_name,
        cast(case when dim3type = 'AST' then dim3 end as {{ text }}) as source_fixed_asset_id,
        cast(code as {{ text }}) as source_entry_type,
        cast(
            case code
                when 'BEGINBALANS' then 'opening'
                when 'VRK' then 'sales'
                when 'INK' then 'purchase'
                when 'BNK' then 'bank'
                when 'MEMO' then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        coalesce(period = 0, false) as is_opening_entry,
        cast(invnumber as {{ text }}) as invoice_number,
        cast(datedue as date) as due_date,
        cast(modified as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(_dlt_load_id as {{ text }}) as import_load_id

    from source

)

select * from renamed
