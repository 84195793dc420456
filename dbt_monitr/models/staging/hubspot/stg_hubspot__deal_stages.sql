-- HubSpot deal pipeline stages (one row per stage, the pipeline's name beside it), renamed and cast. A stage is closed when its metadata.isClosed is 'true'; won when closed with probability 1.0 (HubSpot's Closed Won), lost when closed with a lower one.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('hubspot', 'deal_stages') }}

),

renamed as (

    select
        cast('hubspot' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(id as {{ text }}) as source_id,
        cast(pipeline_id as {{ text }}) as pipeline_id,
        cast(pipeline_label as {{ text }}) as pipeline_name,
        cast(id as {{ text }}) as stage_id,
        cast(label as {{ text }}) as stage_name,
        cast(display_order as bigint) as stage_order,
        cast(metadata_probability as decimal(9, 4)) as stage_probability,
        coalesce(lower(metadata_is_closed) = 'true', false) as is_closed,
        coalesce(lower(metadata_is_closed) = 'true' and metadata_probability >= 1, false) as is_won,
        coalesce(archived, false) as is_archived

    from source

)

select * from renamed
