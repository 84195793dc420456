-- e-Boekhouden mutations as balanced GL lines: each row, the VAT e-Boekhouden books per VAT code, and the mutation's main ledger taking the other side; debit positive, the sign of a row given by the mutation type.
{%- set text = dbt.type_string() %}

with mutation_rows as (

    select * from {{ monitr_source('eboekhouden', 'mutation_rows') }}

),

ledgers as (

    select * from {{ monitr_source('eboekhouden', 'ledgers') }}

),

relations as (

    select * from {{ monitr_source('eboekhouden', 'relations') }}

),

cost_centres as (

    select * from {{ monitr_source('eboekhouden', 'cost_centers') }}

),

-- e-Boekhouden books the VAT of a VAT code on a ledger of the code's category (AF19 21 %, AF6 9 %,
-- AFOVERIG other sales VAT, VOOR input VAT); with several of a category, the lowest code.
vat_ledgers as (

    select _monitr_entity_id, category, id as ledger_id
    from (
        select
            _monitr_entity_id,
            category,
            id,
            row_number() over (partition by _monitr_entity_id, category order by code) as category_rank
        from ledgers
    ) ranked
    where category_rank = 1

),

signed_rows as (

    select
        mutation_rows.*,
        -- Rows of invoices sent, payments and money received and memorials are credits; of
        -- invoices received, payments and money sent debits; opening balances are signed already.
        case "type" when 2 then -1 when 3 then -1 when 5 then -1 when 7 then -1 else 1 end as debit_sign,
        coalesce(row_vat_amount, 0) as vat,
        case
            when upper(in_ex_vat) = 'IN' then row_amount - coalesce(row_vat_amount, 0)
            else row_amount
        end as net,
        case
            when row_vat_code in ('HOOG_VERK_21', 'HOOG_VERK') then 'AF19'
            when row_vat_code in ('LAAG_VERK_9', 'LAAG_VERK') then 'AF6'
            when row_vat_code like '%INK%' or row_vat_code = 'AFW' then 'VOOR'
            else 'AFOVERIG'
        end as vat_category,
        sum(row_amount) over (partition by _monitr_entity_id, mutation_id) as mutation_total,
        max(row_number) over (partition by _monitr_entity_id, mutation_id) as rows_in_mutation

    from mutation_rows

),

row_lines as (

    select
        _monitr_organisation_id, _monitr_entity_id, mutation_id, "type", "date", term_of_payment,
        entry_number, mutation_total,
        cast(mutation_row_id as {{ text }}) as source_id,
        cast(row_number as integer) as line_number,
        row_ledger_id as ledger_id,
        coalesce(nullif(row_description, ''), description) as description,
        debit_sign * net as amount,
        debit_sign * vat as vat_amount,
        row_vat_code as vat_code,
        nullif(row_cost_center_id, 0) as cost_center_id,
        coalesce(nullif(row_relation_id, 0), nullif(relation_id, 0)) as relation_id,
        coalesce(nullif(row_invoice_number, ''), nullif(invoice_number, '')) as invoice_number,
        _dlt_load_id

    from signed_rows

),

vat_totals as (

    select
        _monitr_organisation_id, _monitr_entity_id, mutation_id, "type", "date", term_of_payment,
        entry_number, mutation_total, description, relation_id, invoice_number, row_vat_code,
        vat_category,
        max(rows_in_mutation) as rows_in_mutation,
        sum(debit_sign * vat) as amount,
        -- A line summed from several rows comes from the newest load among them.
        max(_dlt_load_id) as _dlt_load_id

    from signed_rows
    where "type" <> 0 and vat <> 0
    group by
        _monitr_organisation_id, _monitr_entity_id, mutation_id, "type", "date", term_of_payment,
        entry_number, mutation_total, description, relation_id, invoice_number, row_vat_code,
        vat_category

),

vat_lines as (

    select
        vat_totals._monitr_organisation_id, vat_totals._monitr_entity_id, mutation_id, "type", "date",
        term_of_payment, entry_number, mutation_total,
        cast(mutation_id as {{ text }}) || '-vat-' || row_vat_code as source_id,
        cast(rows_in_mutation + row_number() over (
            partition by vat_totals._monitr_entity_id, mutation_id order by row_vat_code) as integer) as line_number,
        vat_ledgers.ledger_id,
        description,
        amount,
        cast(null as decimal(18, 2)) as vat_amount,
        row_vat_code as vat_code,
        cast(null as bigint) as cost_center_id,
        nullif(relation_id, 0) as relation_id,
        nullif(invoice_number, '') as invoice_number,
        _dlt_load_id

    from vat_totals
    left join vat_ledgers
        on vat_totals._monitr_entity_id = vat_ledgers._monitr_entity_id
        and vat_totals.vat_category = vat_ledgers.category

),

-- The main ledger (bank, debtors, creditors, a memorial's first account) balances the mutation.
main_lines as (

    select
        _monitr_organisation_id, _monitr_entity_id, mutation_id, "type", "date", term_of_payment,
        entry_number, mutation_total,
        cast(mutation_id as {{ text }}) || '-main' as source_id,
        0 as line_number,
        ledger_id,
        description,
        -sum(debit_sign * (net + vat)) as amount,
        cast(null as decimal(18, 2)) as vat_amount,
        cast(null as {{ text }}) as vat_code,
        cast(null as bigint) as cost_center_id,
        nullif(relation_id, 0) as relation_id,
        nullif(invoice_number, '') as invoice_number,
        max(_dlt_load_id) as _dlt_load_id

    from signed_rows
    where "type" <> 0
    group by
        _monitr_organisation_id, _monitr_entity_id, mutation_id, "type", "date", term_of_payment,
        entry_number, mutation_total, ledger_id, description, relation_id, invoice_number

),

lines as (

    select * from row_lines
    union all
    select * from vat_lines
    union all
    select * from main_lines

),

renamed as (

    select
        cast('eboekhouden' as {{ text }}) as provider,
        cast(lines._monitr_organisation_id as bigint) as organisation_id,
        cast(lines._monitr_entity_id as bigint) as entity_id,
        cast(lines.source_id as {{ text }}) as source_id,
        cast(lines.mutation_id as {{ text }}) as source_entry_id,
        cast(null as {{ text }}) as administration_id,
        cast(coalesce(nullif(lines.entry_number, ''), cast(lines.mutation_id as {{ text }})) as {{ text }}) as entry_number,
        cast(lines.line_number as integer) as line_number,
        cast(lines."date" as date) as booking_date,
        -- e-Boekhouden's years are calendar years; the opening balance, dated the day before the
        -- first booking, opens the year after its date.
        cast(extract(year from case when lines."type" = 0 then cast(lines."date" as date) + 1
                                    else cast(lines."date" as date) end) as integer) as fiscal_year,
        cast(case when lines."type" = 0 then 1 else extract(month from lines."date") end as integer) as fiscal_period,
        cast(null as {{ text }}) as journal_code,
        cast(null as {{ text }}) as journal_name,
        cast(lines.ledger_id as {{ text }}) as source_account_id,
        cast(trim(ledgers.code) as {{ text }}) as account_code,
        cast(ledgers.description as {{ text }}) as account_name,
        cast(lines.description as {{ text }}) as description,
        cast(lines.amount as decimal(18, 2)) as amount,
        cast(lines.amount as decimal(18, 2)) as transaction_amount,
        cast(lines.vat_amount as decimal(18, 2)) as transaction_vat_amount,
        cast('EUR' as {{ text }}) as transaction_currency,
        cast(lines.vat_code as {{ text }}) as vat_code,
        cast(lines.cost_center_id as {{ text }}) as cost_centre_code,
        cast(cost_centres.description as {{ text }}) as cost_centre_name,
        cast(null as {{ text }}) as cost_unit_code,
        cast(null as {{ text }}) as cost_unit_name,
        cast(null as {{ text }}) as source_project_id,
        cast(null as {{ text }}) as project_code,
        cast(lines.relation_id as {{ text }}) as source_relation_id,
        cast(trim(relations.code) as {{ text }}) as relation_code,
        cast(null as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(lines."type" as {{ text }}) as source_entry_type,
        cast(
            case lines."type"
                when 0 then 'opening'
                when 1 then case when lines.mutation_total < 0 then 'purchase_credit' else 'purchase' end
                when 2 then case when lines.mutation_total < 0 then 'sales_credit' else 'sales' end
                when 3 then 'bank'
                when 4 then 'bank'
                when 5 then 'bank'
                when 6 then 'bank'
                when 7 then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        coalesce(lines."type" = 0, false) as is_opening_entry,
        cast(lines.invoice_number as {{ text }}) as invoice_number,
        cast(
            case
                when lines."type" in (1, 2) and lines.term_of_payment > 0
                    then cast(lines."date" as date) + cast(lines.term_of_payment as integer)
            end as date
        ) as due_date,
        cast(null as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(lines._dlt_load_id as {{ text }}) as import_load_id

    from lines
    left join ledgers
        on lines._monitr_entity_id = ledgers._monitr_entity_id
        and lines.ledger_id = ledgers.id
    left join relations
        on lines._monitr_entity_id = relations._monitr_entity_id
        and lines.relation_id = relations.id
    left join cost_centres
        on lines._monitr_entity_id = cost_centres._monitr_entity_id
        and lines.cost_center_id = cost_centres.id

)

select * from renamed
