-- The Stripe account of each entity: its name, its default (reporting) currency and the moment its data is as of (Stripe's clock at the last import).

with accounts as (

    select * from {{ monitr_source('stripe', 'accounts') }}

),

final as (

    select
        cast('stripe' as {{ dbt.type_string() }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ dbt.type_string() }}) as account_id,
        cast(business_profile_name as {{ dbt.type_string() }}) as account_name,
        cast(upper(default_currency) as {{ dbt.type_string() }}) as reporting_currency,
        to_timestamp(read_at) as data_as_of_at

    from accounts

)

select * from final
