-- QuickBooks Online posting lines of every transaction type (one row per line of the GeneralLedger report), renamed and cast.
-- Beyond renaming, what QBO keeps elsewhere: the lines are unnested from their month (general_ledger_months holds them as JSON);
-- a transaction found in two months (its date moved, and the old month was not read again) keeps the lines of the later read;
-- a transaction deleted after its month was read (cdc_changes) is left out; the account code is the account's AcctNum (its id where
-- numbers are off, as in stg_quickbooks__accounts); the report names classes and locations, so their ids come from the lists;
-- fiscal year and period follow the company's FiscalYearStartMonth (a fiscal year is named by the calendar year it starts in).
{%- set text = dbt.type_string() %}

with months as (

    select * from {{ monitr_source('quickbooks', 'general_ledger_months') }}

),

changes as (

    select * from {{ monitr_source('quickbooks', 'cdc_changes') }}

),

accounts as (

    select * from {{ monitr_source('quickbooks', 'accounts') }}

),

classes as (

    select * from {{ monitr_source('quickbooks', 'classes') }}

),

departments as (

    select * from {{ monitr_source('quickbooks', 'departments') }}

),

companies as (

    select * from {{ monitr_source('quickbooks', 'company_info') }}

),

unnested as (

    select
        months._monitr_organisation_id,
        months._monitr_entity_id,
        months.month,
        months.report_time,
        months.currency,
        months._dlt_load_id,
        elements.value as line
    from months
    {%- if target.type == 'postgres' %}
    cross join lateral jsonb_array_elements(cast(months.lines as jsonb)) as elements(value)
    {%- else %}
    cross join lateral json_each(cast(months.lines as json)) as elements
    {%- endif %}

),

lines as (

    select
        _monitr_organisation_id,
        _monitr_entity_id,
        month,
        report_time,
        currency,
        _dlt_load_id,
        line ->> 'txn_entity' as txn_entity,
        line ->> 'txn_type' as txn_type,
        line ->> 'txn_id' as txn_id,
        cast(line ->> 'line_number' as integer) as line_number,
        cast(line ->> 'tx_date' as date) as tx_date,
        line ->> 'doc_num' as doc_num,
        line ->> 'name_id' as name_id,
        line ->> 'name' as name,
        line ->> 'memo' as memo,
        line ->> 'account_id' as account_id,
        line ->> 'account_name' as account_name,
        line ->> 'klass_id' as klass_id,
        line ->> 'klass_name' as klass_name,
        line ->> 'dept_id' as dept_id,
        line ->> 'dept_name' as dept_name,
        coalesce(cast(line ->> 'debit' as decimal(18, 2)), 0)
            - coalesce(cast(line ->> 'credit' as decimal(18, 2)), 0) as amount
    from unnested

),

reads as (

    -- Which month row holds the current lines of each transaction: the latest read.
    select
        _monitr_entity_id,
        txn_entity,
        txn_id,
        month,
        row_number() over (
            partition by _monitr_entity_id, txn_entity, txn_id
            order by report_time desc, month desc
        ) as read_rank
    from (select distinct _monitr_entity_id, txn_entity, txn_id, month, report_time from lines) as read_months

),

current_lines as (

    select lines.*
    from lines
    inner join reads
        on lines._monitr_entity_id = reads._monitr_entity_id
        and lines.txn_entity = reads.txn_entity
        and lines.txn_id = reads.txn_id
        and lines.month = reads.month
        and reads.read_rank = 1
    where not exists (
        select 1
        from changes
        where changes._monitr_entity_id = lines._monitr_entity_id
            and changes.deleted_type = lines.txn_entity
            and changes.object_id = lines.txn_id
            -- Deleted in the second the month was read, it may still be in the read: left out.
            and changes.meta_data_last_updated_time >= lines.report_time
    )

),

details as (

    select
        current_lines.*,
        case coalesce(companies.fiscal_year_start_month, 'January')
            when 'January' then 1 when 'February' then 2 when 'March' then 3 when 'April' then 4
            when 'May' then 5 when 'June' then 6 when 'July' then 7 when 'August' then 8
            when 'September' then 9 when 'October' then 10 when 'November' then 11 when 'December' then 12
        end as fiscal_start_month,
        cast(extract(year from current_lines.tx_date) as integer) as calendar_year,
        cast(extract(month from current_lines.tx_date) as integer) as calendar_month
    from current_lines
    left join companies
        on current_lines._monitr_entity_id = companies._monitr_entity_id

),

renamed as (

    select
        cast('quickbooks' as {{ text }}) as provider,
        cast(details._monitr_organisation_id as bigint) as organisation_id,
        cast(details._monitr_entity_id as bigint) as entity_id,
        cast(details.txn_entity || '/' || details.txn_id || '/' || cast(details.line_number as {{ text }}) as {{ text }}) as source_id,
        cast(details.txn_entity || '/' || details.txn_id as {{ text }}) as source_entry_id,
        -- One company per entity: the lines take the entity's reporting currency.
        cast(null as {{ text }}) as administration_id,
        cast(coalesce(details.doc_num, details.txn_id) as {{ text }}) as entry_number,
        cast(details.line_number as integer) as line_number,
        cast(details.tx_date as date) as booking_date,
        cast(case when details.calendar_month >= details.fiscal_start_month then details.calendar_year
                  else details.calendar_year - 1 end as integer) as fiscal_year,
        cast(mod(details.calendar_month - details.fiscal_start_month + 12, 12) + 1 as integer) as fiscal_period,
        cast(details.txn_entity as {{ text }}) as journal_code,
        cast(details.txn_type as {{ text }}) as journal_name,
        cast(details.account_id as {{ text }}) as source_account_id,
        cast(coalesce(nullif(trim(accounts.acct_num), ''), details.account_id) as {{ text }}) as account_code,
        cast(coalesce(accounts.name, details.account_name) as {{ text }}) as account_name,
        cast(details.memo as {{ text }}) as description,
        -- The report's debit and credit are in the home currency, the entity's reporting currency.
        cast(details.amount as decimal(18, 2)) as amount,
        cast(details.amount as decimal(18, 2)) as transaction_amount,
        cast(null as decimal(18, 2)) as transaction_vat_amount,
        cast(details.currency as {{ text }}) as transaction_currency,
        cast(null as {{ text }}) as vat_code,
        cast(coalesce(details.klass_id, classes.id) as {{ text }}) as cost_centre_code,
        cast(details.klass_name as {{ text }}) as cost_centre_name,
        cast(coalesce(details.dept_id, departments.id) as {{ text }}) as cost_unit_code,
        cast(details.dept_name as {{ text }}) as cost_unit_name,
        cast(null as {{ text }}) as source_project_id,
        cast(null as {{ text }}) as project_code,
        cast(details.name_id as {{ text }}) as source_relation_id,
        cast(details.name_id as {{ text }}) as relation_code,
        cast(details.name as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(details.txn_type as {{ text }}) as source_entry_type,
        cast(
            case details.txn_entity
                when 'Invoice' then 'sales'
                when 'SalesReceipt' then 'sales'
                when 'CreditMemo' then 'sales_credit'
                when 'RefundReceipt' then 'sales_credit'
                when 'Bill' then 'purchase'
                when 'VendorCredit' then 'purchase_credit'
                when 'Payment' then 'bank'
                when 'BillPayment' then 'bank'
                when 'Deposit' then 'bank'
                when 'Transfer' then 'bank'
                when 'Purchase' then 'bank'
                -- Journal entries say nothing of what they book: they are general entries.
                when 'JournalEntry' then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        false as is_opening_entry,
        cast(case when details.txn_entity in ('Invoice', 'SalesReceipt', 'CreditMemo', 'Bill', 'VendorCredit')
                  then details.doc_num end as {{ text }}) as invoice_number,
        cast(null as date) as due_date,
        -- Reports carry no modification time.
        cast(null as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(details._dlt_load_id as {{ text }}) as import_load_id

    from details
    left join accounts
        on details._monitr_entity_id = accounts._monitr_entity_id
        and details.account_id = accounts.id
    left join classes
        on details.klass_id is null
        and details._monitr_entity_id = classes._monitr_entity_id
        and details.klass_name = classes.fully_qualified_name
    left join departments
        on details.dept_id is null
        and details._monitr_entity_id = departments._monitr_entity_id
        and details.dept_name = departments.fully_qualified_name

)

select * from renamed
