-- Exact Online cost registrations on projects (TimeCostTransactions type 2), renamed and cast in the project-costs contract; rejected registrations (hour status 2) are left out.
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
        cast("date" as date) as cost_date,
        cast(item_description as {{ text }}) as cost_type,
        cast(notes as {{ text }}) as description,
        cast(quantity as decimal(18, 4)) as quantity,
        cast(amount_fc as decimal(18, 2)) as amount,
        cast(upper(currency) as {{ text }}) as currency,
        cast(null as {{ text }}) as relation_code,
        cast(null as {{ text }}) as relation_name,
        cast(entry_number as {{ text }}) as document_number,
        cast(null as {{ text }}) as account_code

    from source
    where "type" = 2
        and hour_status is distinct from 2

)

select * from renamed
