-- Teamleader deal phases in the deal-stage contract (int_deal_stages__unioned), one row per phase of each pipeline, plus a "won" and a "lost" stage per pipeline: Teamleader closes a deal by its status (won, lost), not by a phase, so a closed deal sits in one of those two (probability 1 and 0). Phases are open stages with their probability (0-1).
{%- set text = dbt.type_string() %}

with phases as (

    select * from {{ monitr_source('teamleader', 'deal_phases') }}

),

open_stages as (

    select
        cast('teamleader' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(pipeline_id as {{ text }}) as pipeline_id,
        cast(pipeline_name as {{ text }}) as pipeline_name,
        cast(id as {{ text }}) as stage_id,
        cast(name as {{ text }}) as stage_name,
        cast(phase_order as bigint) as stage_order,
        cast(probability as decimal(9, 4)) as stage_probability,
        false as is_closed,
        false as is_won,
        false as is_archived

    from phases

),

pipelines as (

    select
        provider,
        organisation_id,
        entity_id,
        pipeline_id,
        pipeline_name,
        max(stage_order) as last_order

    from open_stages
    group by provider, organisation_id, entity_id, pipeline_id, pipeline_name

),

closed_stages as (

    select
        provider,
        organisation_id,
        entity_id,
        cast(pipeline_id || ':' || outcome.status as {{ text }}) as source_id,
        pipeline_id,
        pipeline_name,
        cast(outcome.status as {{ text }}) as stage_id,
        cast(outcome.stage_name as {{ text }}) as stage_name,
        cast(last_order + outcome.step as bigint) as stage_order,
        cast(outcome.probability as decimal(9, 4)) as stage_probability,
        true as is_closed,
        outcome.status = 'won' as is_won,
        false as is_archived

    from pipelines
    cross join (
        select 'won' as status, 'Won' as stage_name, 1 as step, 1.0 as probability
        union all
        select 'lost', 'Lost', 2, 0.0
    ) as outcome

),

final as (

    select * from open_stages
    union all
    select * from closed_stages

)

select * from final
