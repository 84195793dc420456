-- eBlinqx Fiscaal annual accounts, one per company and fiscal year, renamed and cast: balance-sheet total, equity, revenue and result in euros, the status (concept, definitief, gedeponeerd) and the date each was reached.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('eblinqx', 'annual_accounts') }}

),

renamed as (

    select
        cast('eblinqx' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(company_id as {{ text }}) as company_source_id,
        cast(fiscal_year as integer) as fiscal_year,
        cast(period_start as date) as period_start_date,
        cast(period_end as date) as period_end_date,
        cast(lower(status) as {{ text }}) as filing_status,
        cast('EUR' as {{ text }}) as currency,
        cast(balance_sheet_total as decimal(18, 2)) as balance_sheet_total,
        cast(equity as decimal(18, 2)) as equity,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(result_before_tax as decimal(18, 2)) as result_before_tax,
        cast(result_after_tax as decimal(18, 2)) as result_after_tax,
        cast(prepared_date as date) as prepared_date,
        cast(adoption_date as date) as adopted_date,
        cast(filing_date as date) as filed_date,
        cast(modified_at as timestamp) as modified_at

    from source

)

select * from renamed
