-- Analytical axes of every provider (cost centres, cost units, projects): one row per code of an entity.

with axes as (

    select * from {{ ref('int_analytical_axes__unioned') }}

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'axis_type', 'source_id']) }} as axis_key,
        provider,
        organisation_id,
        entity_id,
        axis_type,
        source_id,
        code,
        name,
        is_active,
        start_date,
        end_date

    from axes

)

select * from final
