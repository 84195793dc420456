-- One row per provider x entity whose administrations agree on one reporting currency (for rows that do not name their administration).

with administrations as (

    select * from {{ ref('int_administrations__unioned') }}

),

final as (

    select
        provider,
        organisation_id,
        entity_id,
        min(currency) as currency

    from administrations
    where currency is not null
    group by provider, organisation_id, entity_id
    having count(distinct currency) = 1

)

select * from final
