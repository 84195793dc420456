-- Xero journal lines, renamed and cast: amount = NetAmount (base currency, debit positive); fiscal year and period come from the derived fiscal periods; tracking options become cost centre, cost unit or project codes by their category's name.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('xero', 'journal_lines') }}

),

periods as (

    select * from {{ ref('stg_xero__fiscal_periods') }}

),

-- The axis a tracking category stands for, by its name (the same rule as stg_xero__tracking_options).
tracked as (

    select
        *,
        {% for slot in ['1', '2'] -%}
        case
            when lower(tracking_category_name{{ slot }}) like '%project%' then 'project'
            when lower(tracking_category_name{{ slot }}) like '%kostendrager%'
                or lower(tracking_category_name{{ slot }}) like '%cost unit%' then 'cost_unit'
            when tracking_category_name{{ slot }} is not null then 'cost_centre'
        end as axis_type{{ slot }}{{ ',' if not loop.last }}
        {% endfor %}

    from source

),

renamed as (

    select
        cast('xero' as {{ text }}) as provider,
        cast(tracked._monitr_organisation_id as bigint) as organisation_id,
        cast(tracked._monitr_entity_id as bigint) as entity_id,
        cast(tracked.journal_line_id as {{ text }}) as source_id,
        cast(tracked.journal_id as {{ text }}) as source_entry_id,
        cast(tracked.journal_number as {{ text }}) as entry_number,
        cast(tracked.line_number as integer) as line_number,
        cast(tracked.journal_date as date) as booking_date,
        cast(periods.fiscal_year as integer) as fiscal_year,
        cast(periods.fiscal_period as integer) as fiscal_period,
        -- Xero has no day books; the source transaction type plays the journal's part.
        cast(tracked.source_type as {{ text }}) as journal_code,
        cast(tracked.account_id as {{ text }}) as source_account_id,
        -- Accounts without a code (allowed in Xero) are known by their id, in stg_xero__accounts too.
        cast(coalesce(trim(tracked.account_code), tracked.account_id) as {{ text }}) as account_code,
        cast(tracked.account_name as {{ text }}) as account_name,
        cast(tracked.description as {{ text }}) as description,
        cast(tracked.net_amount as decimal(18, 2)) as amount,
        cast(tracked.tax_type as {{ text }}) as vat_code,
        {% for axis in ['cost_centre', 'cost_unit', 'project'] -%}
        cast(case
            when tracked.axis_type1 = '{{ axis }}' then tracked.tracking_option_name1
            when tracked.axis_type2 = '{{ axis }}' then tracked.tracking_option_name2
        end as {{ text }}) as {{ axis }}_code,
        {% endfor -%}
        cast(tracked.source_type as {{ text }}) as source_entry_type,
        cast(
            case
                when tracked.source_type = 'ACCREC' then 'sales'
                when tracked.source_type = 'ACCRECCREDIT' then 'sales_credit'
                when tracked.source_type = 'ACCPAY' then 'purchase'
                when tracked.source_type = 'ACCPAYCREDIT' then 'purchase_credit'
                when tracked.source_type in (
                    'ACCRECPAYMENT', 'ACCPAYPAYMENT', 'ARCREDITPAYMENT', 'APCREDITPAYMENT', 'CASHREC',
                    'CASHPAID', 'TRANSFER', 'ARPREPAYMENT', 'APPREPAYMENT', 'AROVERPAYMENT',
                    'APOVERPAYMENT', 'EXPPAYMENT'
                ) then 'bank'
                when tracked.source_type = 'MANJOURNAL' then 'general'
                else 'other'
            end as {{ text }}
        ) as entry_type,
        -- Xero opens no year with an entry: balances roll forward in its reports.
        false as is_opening_entry,
        cast(tracked.created_date_utc as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(tracked._dlt_load_id as {{ text }}) as import_load_id

    from tracked
    left join periods
        on tracked._monitr_entity_id = periods.entity_id
        and tracked.journal_date between periods.start_date and periods.end_date

)

select * from renamed
