-- One row per entity: the reporting currency of its accounting (the administrations of its accounting integrations), for data beside the accounting (CRM projects, revenue) whose provider has no administrations of its own.

with provider_currencies as (

    select * from {{ ref('int_entities__reporting_currency') }}

),

final as (

    select
        organisation_id,
        entity_id,
        min(currency) as currency

    from provider_currencies
    group by organisation_id, entity_id
    -- An entity whose accounting moved between providers in one currency has one answer; two
    -- currencies have none (amounts in either stay apart rather than being added up).
    having count(distinct currency) = 1

)

select * from final
