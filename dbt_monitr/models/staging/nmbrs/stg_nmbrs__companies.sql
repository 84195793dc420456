-- Nmbrs companies (one per entity connection: a company is assigned beside an entity), renamed and cast. Nmbrs is Dutch payroll in euros; its company list names neither.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('nmbrs', 'companies') }}

),

renamed as (

    select
        cast('nmbrs' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(company_id as {{ text }}) as source_id,
        cast(company_id as {{ text }}) as company_id,
        cast(name as {{ text }}) as company_name,
        cast('EUR' as {{ text }}) as currency,
        cast('NL' as {{ text }}) as country

    from source

)

select * from renamed
