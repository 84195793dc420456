-- QuickBooks Online companies as administrations (one per entity: a consent gives access to one company), with the home currency from its preferences.
{%- set text = dbt.type_string() %}

with companies as (

    select * from {{ monitr_source('quickbooks', 'company_info') }}

),

preferences as (

    select * from {{ monitr_source('quickbooks', 'preferences') }}

),

renamed as (

    select
        cast('quickbooks' as {{ text }}) as provider,
        cast(companies._monitr_organisation_id as bigint) as organisation_id,
        cast(companies._monitr_entity_id as bigint) as entity_id,
        cast(companies.id as {{ text }}) as source_id,
        cast(companies.id as {{ text }}) as administration_id,
        cast(coalesce(companies.company_name, companies.legal_name) as {{ text }}) as administration_name,
        cast(upper(preferences.currency_prefs_home_currency_value) as {{ text }}) as currency,
        cast(upper(companies.country) as {{ text }}) as country

    from companies
    left join preferences
        on companies._monitr_entity_id = preferences._monitr_entity_id

)

select * from renamed
