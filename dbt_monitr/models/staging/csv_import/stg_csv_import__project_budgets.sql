-- CSV import project budgets from the projects files (budget_hours, budget_amount in the administration's reporting currency), renamed and cast.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('csv_import', 'projects') }}

),

renamed as (

    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(null as {{ text }}) as source_project_id,
        cast(administration as {{ text }}) as administration_id,
        cast(trim(code) as {{ text }}) as project_code,
        cast(name as {{ text }}) as project_name,
        cast(budget_hours as decimal(18, 4)) as budget_hours,
        cast(budget_amount as decimal(18, 2)) as budget_amount

    from source

)

select * from renamed
