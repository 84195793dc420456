-- Horus account histories as GL lines: amount = debit - credit (base currency); the book entry gives the journal's type (opening entries: journal type opening, period 0) and the document; analytical accounts sit in slots by plan, whose type says cost centre, cost unit or project. Lines deleted at Horus are gone from the raw table (their book year was read again).
{%- set text = dbt.type_string() %}

with lines as (

    select * from {{ monitr_source('horus', 'account_histories') }}

),

entries as (

    select * from {{ monitr_source('horus', 'book_entries') }}

),

folders as (

    select * from {{ monitr_source('horus', 'folders') }}

),

accounts as (

    select * from {{ monitr_source('horus', 'accounts') }}

),

analytic_accounts as (

    select * from {{ monitr_source('horus', 'analytic_accounts') }}

),

periods as (

    select * from {{ monitr_source('horus', 'periods') }}

),

bookyears as (

    select distinct _monitr_entity_id, bookyear_id, bookyear_end_date
    from periods

),

slots as (

    select _monitr_entity_id, id as line_id, analytic1_plan as plan_code, analytic1_code as code
    from lines where analytic1_code is not null
    union all
    select _monitr_entity_id, id, analytic2_plan, analytic2_code
    from lines where analytic2_code is not null
    union all
    select _monitr_entity_id, id, analytic3_plan, analytic3_code
    from lines where analytic3_code is not null

),

analytics as (

    select
        slots._monitr_entity_id,
        slots.line_id,
        slots.code,
        analytic_accounts.id as analytic_id,
        analytic_accounts.name,
        analytic_accounts.plan_type

    from slots
    inner join analytic_accounts
        on analytic_accounts._monitr_entity_id = slots._monitr_entity_id
        and analytic_accounts.plan_code = slots.plan_code
        and analytic_accounts.code = slots.code

),

axes as (

    select
        _monitr_entity_id,
        line_id,
        min(case when plan_type = 'costCentre' then code end) as cost_centre_code,
        min(case when plan_type = 'costCentre' then name end) as cost_centre_name,
        min(case when plan_type = 'costUnit' then code end) as cost_unit_code,
        min(case when plan_type = 'costUnit' then name end) as cost_unit_name,
        min(case when plan_type = 'project' then analytic_id end) as project_id,
        min(case when plan_type = 'project' then code end) as project_code

    from analytics
    group by _monitr_entity_id, line_id

),

renamed as (

    select
        cast('horus' as {{ text }}) as provider,
        cast(lines._monitr_organisation_id as bigint) as organisation_id,
        cast(lines._monitr_entity_id as bigint) as entity_id,
        cast(lines.id as {{ text }}) as source_id,
        cast(lines.book_entry_id as {{ text }}) as source_entry_id,
        cast(folders.id as {{ text }}) as administration_id,
        cast(lines.entry_number as {{ text }}) as entry_number,
        cast(lines.line_number as integer) as line_number,
        cast(lines."date" as date) as booking_date,
        cast(extract(year from cast(bookyears.bookyear_end_date as date)) as integer) as fiscal_year,
        cast(lines."period" as integer) as fiscal_period,
        cast(lines.journal_code as {{ text }}) as journal_code,
        cast(entries.journal_name as {{ text }}) as journal_name,
        cast(lines.account_id as {{ text }}) as source_account_id,
        cast(lines.account_number as {{ text }}) as account_code,
        cast(accounts.name as {{ text }}) as account_name,
        cast(lines.description as {{ text }}) as description,
        cast(lines.debit - lines.credit as decimal(18, 2)) as amount,
        cast(coalesce(lines.amount_currency, lines.debit - lines.credit) as decimal(18, 2)) as transaction_amount,
        cast(lines.vat_amount as decimal(18, 2)) as transaction_vat_amount,
        cast(coalesce(lines.currency, folders.currency) as {{ text }}) as transaction_currency,
        cast(lines.vat_code as {{ text }}) as vat_code,
        cast(axes.cost_centre_code as {{ text }}) as cost_centre_code,
        cast(axes.cost_centre_name as {{ text }}) as cost_centre_name,
        cast(axes.cost_unit_code as {{ text }}) as cost_unit_code,
        cast(axes.cost_unit_name as {{ text }}) as cost_unit_name,
        cast(axes.project_id as {{ text }}) as source_project_id,
        cast(axes.project_code as {{ text }}) as project_code,
        cast(coalesce(lines.third_party_code, entries.third_party_code) as {{ text }}) as source_relation_id,
        cast(coalesce(lines.third_party_code, entries.third_party_code) as {{ text }}) as relation_code,
        cast(coalesce(lines.third_party_name, entries.third_party_name) as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(entries.journal_type as {{ text }}) as source_entry_type,
        cast(
            case entries.journal_type
                when 'opening' then 'opening'
                when 'sales' then 'sales'
                when 'purchase' then 'purchase'
                when 'financial' then 'bank'
                when 'miscellaneous' then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        coalesce(entries.journal_type = 'opening', false) as is_opening_entry,
        cast(entries.document_reference as {{ text }}) as invoice_number,
        cast(lines.due_date as date) as due_date,
        cast(lines.modified_at as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(lines._dlt_load_id as {{ text }}) as import_load_id

    from lines
    left join entries
        on entries._monitr_entity_id = lines._monitr_entity_id
        and entries.id = lines.book_entry_id
    left join folders
        on folders._monitr_entity_id = lines._monitr_entity_id
    left join bookyears
        on bookyears._monitr_entity_id = lines._monitr_entity_id
        and bookyears.bookyear_id = lines.bookyear_id
    left join accounts
        on accounts._monitr_entity_id = lines._monitr_entity_id
        and accounts.id = lines.account_id
    left join axes
        on axes._monitr_entity_id = lines._monitr_entity_id
        and axes.line_id = lines.id

)

select * from renamed
