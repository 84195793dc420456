-- Stripe customers that exist (deleted ones left out).

with customers as (

    select * from {{ monitr_source('stripe', 'customers') }}
    where not coalesce(deleted, false)

),

final as (

    select
        cast('stripe' as {{ dbt.type_string() }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ dbt.type_string() }}) as customer_id,
        cast(name as {{ dbt.type_string() }}) as customer_name,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(upper(currency) as {{ dbt.type_string() }}) as currency,
        cast(address_country as {{ dbt.type_string() }}) as country,
        to_timestamp(created) as created_at

    from customers

)

select * from final
