-- Octopus cost centres as analytical axes (axis_type cost_centre); Octopus has no cost units or projects here.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('octopus', 'cost_centres') }}

),

renamed as (

    select
        cast('octopus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(cost_centre_key_id as {{ text }}) as source_id,
        cast('cost_centre' as {{ text }}) as axis_type,
        cast(cost_centre_key_id as {{ text }}) as code,
        cast(description as {{ text }}) as name,
        cast(not coalesce(closed, false) as boolean) as is_active,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source

)

select * from renamed
