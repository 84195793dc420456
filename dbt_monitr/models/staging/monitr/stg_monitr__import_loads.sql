-- The pipeline's record of its dlt loads (monitr.import_loads), renamed and cast: one row per load of one entity's import.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('monitr', 'import_loads') }}

),

renamed as (

    select
        cast(load_id as {{ text }}) as import_load_id,
        cast(provider as {{ text }}) as provider,
        cast(organisation_id as bigint) as organisation_id,
        cast(entity_id as bigint) as entity_id,
        cast(partition_key as {{ text }}) as partition_key,
        cast(dagster_run_id as {{ text }}) as dagster_run_id,
        cast(import_run_id as bigint) as import_run_id,
        cast(loaded_at as timestamp with time zone) as loaded_at,
        cast(rows_loaded as bigint) as rows_loaded

    from source

)

select * from renamed
