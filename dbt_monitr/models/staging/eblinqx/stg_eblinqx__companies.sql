-- eBlinqx Fiscaal companies (one per entity connection: a company is assigned beside an entity), renamed and cast; monitr_client_id is the reference of the Monitr entity the company is linked to.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('eblinqx', 'companies') }}

),

renamed as (

    select
        cast('eblinqx' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(name as {{ text }}) as company_name,
        cast(chamber_of_commerce_number as {{ text }}) as chamber_of_commerce_number,
        cast(legal_form_apply_for_annual_account as boolean) as is_filing_required,
        cast(monitr_client_id as {{ text }}) as monitr_client_id,
        cast('EUR' as {{ text }}) as currency,
        cast('NL' as {{ text }}) as country

    from source

)

select * from renamed
