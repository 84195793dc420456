-- CSV import hours on projects, renamed and cast (no mart reads them yet).
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('csv_import', 'project_hours') }}

),

renamed as (

    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(administration as {{ text }}) as administration_id,
        cast(trim(project_code) as {{ text }}) as project_code,
        cast("date" as date) as work_date,
        cast(trim(employee_code) as {{ text }}) as employee_code,
        cast(employee_name as {{ text }}) as employee_name,
        cast(activity as {{ text }}) as activity,
        cast(hours as decimal(18, 4)) as hours,
        cast(rate as decimal(18, 2)) as hourly_rate,
        cast(coalesce(amount, hours * rate) as decimal(18, 2)) as amount,
        cast(is_billable as boolean) as is_billable,
        cast(description as {{ text }}) as description

    from source

)

select * from renamed
