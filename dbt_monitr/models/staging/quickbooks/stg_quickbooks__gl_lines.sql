-- QuickBooks Online journal entry lines (one row per JournalEntryLineDetail element of journal_entries.line), renamed and cast.
-- Beyond renaming, three things QBO keeps elsewhere: the lines are unnested from their entry (raw as JSON text), the account code is the
-- account's AcctNum (its id where numbers are off, as in stg_quickbooks__accounts), and fiscal year and period follow
-- the company's FiscalYearStartMonth (a fiscal year is named by the calendar year it starts in).
{%- set text = dbt.type_string() %}

with entries as (

    select * from {{ monitr_source('quickbooks', 'journal_entries') }}

),

accounts as (

    select * from {{ monitr_source('quickbooks', 'accounts') }}

),

companies as (

    select * from {{ monitr_source('quickbooks', 'company_info') }}

),

lines as (

    select
        entries.*,
        elements.value as line_value,
    {%- if target.type == 'postgres' %}
        cast(elements.position as integer) as line_position
    from entries
    cross join lateral jsonb_array_elements(cast(entries.line as jsonb)) with ordinality as elements(value, position)
    {%- else %}
        cast(elements.key as integer) + 1 as line_position
    from entries
    cross join lateral json_each(cast(entries.line as json)) as elements
    {%- endif %}

),

details as (

    select
        lines.*,
        lines.line_value -> 'JournalEntryLineDetail' as detail,
        case when (lines.line_value -> 'JournalEntryLineDetail' ->> 'PostingType') = 'Credit' then -1 else 1 end as sign,
        case coalesce(companies.fiscal_year_start_month, 'January')
            when 'January' then 1 when 'February' then 2 when 'March' then 3 when 'April' then 4
            when 'May' then 5 when 'June' then 6 when 'July' then 7 when 'August' then 8
            when 'September' then 9 when 'October' then 10 when 'November' then 11 when 'December' then 12
        end as fiscal_start_month,
        cast(extract(year from lines.txn_date) as integer) as calendar_year,
        cast(extract(month from lines.txn_date) as integer) as calendar_month

    from lines
    left join companies
        on lines._monitr_entity_id = companies._monitr_entity_id
    -- DescriptionOnly lines carry text, no amount. (JSON operators bind looser than = in DuckDB.)
    where (lines.line_value ->> 'DetailType') = 'JournalEntryLineDetail'

),

renamed as (

    select
        cast('quickbooks' as {{ text }}) as provider,
        cast(details._monitr_organisation_id as bigint) as organisation_id,
        cast(details._monitr_entity_id as bigint) as entity_id,
        cast(details.id || '-' || (details.line_value ->> 'Id') as {{ text }}) as source_id,
        cast(details.id as {{ text }}) as source_entry_id,
        -- One company per entity: the lines take the entity's reporting currency.
        cast(null as {{ text }}) as administration_id,
        cast(coalesce(details.doc_number, details.id) as {{ text }}) as entry_number,
        cast(details.line_position as integer) as line_number,
        cast(details.txn_date as date) as booking_date,
        cast(case when details.calendar_month >= details.fiscal_start_month then details.calendar_year
                  else details.calendar_year - 1 end as integer) as fiscal_year,
        cast(mod(details.calendar_month - details.fiscal_start_month + 12, 12) + 1 as integer) as fiscal_period,
        cast('JournalEntry' as {{ text }}) as journal_code,
        cast('Journal Entry' as {{ text }}) as journal_name,
        cast(details.detail -> 'AccountRef' ->> 'value' as {{ text }}) as source_account_id,
        cast(coalesce(nullif(trim(accounts.acct_num), ''), details.detail -> 'AccountRef' ->> 'value') as {{ text }}) as account_code,
        cast(coalesce(accounts.name, details.detail -> 'AccountRef' ->> 'name') as {{ text }}) as account_name,
        cast(coalesce(details.line_value ->> 'Description', details.private_note) as {{ text }}) as description,
        -- Amount is in the entry's currency; ExchangeRate (home per foreign unit) is absent in home-currency entries.
        cast(round(cast(details.line_value ->> 'Amount' as decimal(18, 2)) * coalesce(details.exchange_rate, 1), 2)
             * details.sign as decimal(18, 2)) as amount,
        cast(cast(details.line_value ->> 'Amount' as decimal(18, 2)) * details.sign as decimal(18, 2)) as transaction_amount,
        cast(cast(details.detail ->> 'TaxAmount' as decimal(18, 2)) * details.sign as decimal(18, 2)) as transaction_vat_amount,
        cast(details.currency_ref_value as {{ text }}) as transaction_currency,
        cast(details.detail -> 'TaxCodeRef' ->> 'value' as {{ text }}) as vat_code,
        cast(details.detail -> 'ClassRef' ->> 'value' as {{ text }}) as cost_centre_code,
        cast(details.detail -> 'ClassRef' ->> 'name' as {{ text }}) as cost_centre_name,
        cast(details.detail -> 'DepartmentRef' ->> 'value' as {{ text }}) as cost_unit_code,
        cast(details.detail -> 'DepartmentRef' ->> 'name' as {{ text }}) as cost_unit_name,
        cast(null as {{ text }}) as source_project_id,
        cast(null as {{ text }}) as project_code,
        cast(details.detail -> 'Entity' -> 'EntityRef' ->> 'value' as {{ text }}) as source_relation_id,
        cast(details.detail -> 'Entity' -> 'EntityRef' ->> 'value' as {{ text }}) as relation_code,
        cast(details.detail -> 'Entity' -> 'EntityRef' ->> 'name' as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast('JournalEntry' as {{ text }}) as source_entry_type,
        -- QBO journal entries say nothing of what they book: they are general entries.
        cast('general' as {{ text }}) as entry_type,
        false as is_opening_entry,
        cast(null as {{ text }}) as invoice_number,
        cast(null as date) as due_date,
        cast(details.meta_data_last_updated_time as timestamp with time zone) as source_modified_at

    from details
    left join accounts
        on details._monitr_entity_id = accounts._monitr_entity_id
        and (details.detail -> 'AccountRef' ->> 'value') = accounts.id

)

select * from renamed
