-- Exact Online time registrations on projects (TimeCostTransactions type 1), renamed and cast in the project-hours contract; rejected registrations (hour status 2) are not hours worked and are left out.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('exact_online', 'time_cost_transactions') }}

),

renamed as (

    select
        cast('exact_online' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(division as {{ text }}) as administration_id,
        cast(project as {{ text }}) as source_project_id,
        cast(trim(project_code) as {{ text }}) as project_code,
        cast("date" as date) as work_date,
        cast(employee as {{ text }}) as source_employee_id,
        cast(null as {{ text }}) as employee_code,
        cast(null as {{ text }}) as employee_name,
        cast(item_description as {{ text }}) as activity,
        cast(quantity as decimal(18, 4)) as hours,
        cast(price_fc as decimal(18, 2)) as hourly_rate,
        cast(amount_fc as decimal(18, 2)) as amount,
        cast(upper(currency) as {{ text }}) as currency,
        -- Exact marks no registration billable or not (that follows from project type and item).
        cast(null as boolean) as is_billable,
        cast(notes as {{ text }}) as description

    from source
    where "type" = 1
        and hour_status is distinct from 2

)

select * from renamed
