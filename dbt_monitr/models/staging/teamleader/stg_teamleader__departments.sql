-- The Teamleader department (company entity) of each entity: its name, its currency (the company and reporting currency of its deals and subscriptions) and the moment its data is as of (Teamleader's clock at the last import).
{%- set text = dbt.type_string() %}

with departments as (

    select * from {{ monitr_source('teamleader', 'departments') }}

),

final as (

    select
        cast('teamleader' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as department_id,
        cast(name as {{ text }}) as department_name,
        cast(upper(currency) as {{ text }}) as currency,
        to_timestamp(read_at) as data_as_of_at

    from departments

)

select * from final
