-- CSV import costs on projects other than hours, renamed and cast (no mart reads them yet).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('csv_import', 'project_costs') }}

),

renamed as (

    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(administration as {{ text }}) as administration_id,
        cast(trim(project_code) as {{ text }}) as project_code,
        cast("date" as date) as cost_date,
        cast(cost_type as {{ text }}) as cost_type,
        cast(description as {{ text }}) as description,
        cast(quantity as decimal(18, 4)) as quantity,
        cast(amount as decimal(18, 2)) as amount,
        cast(upper(currency) as {{ text }}) as currency,
        cast(trim(relation_code) as {{ text }}) as relation_code,
        cast(relation_name as {{ text }}) as relation_name,
        cast(document_number as {{ text }}) as document_number,
        cast(trim(account_code) as {{ text }}) as account_code

    from source

)

select * from renamed
