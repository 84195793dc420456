-- One row per import load: the dlt load (the import_load_id a GL line carries) with the import behind it, its provider, entity, Dagster run and control-plane import run.

with loads as (

    select * from {{ ref('stg_monitr__import_loads') }}

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'import_load_id']) }} as import_load_key,
        import_load_id,
        provider,
        organisation_id,
        entity_id,
        partition_key,
        dagster_run_id,
        import_run_id,
        loaded_at,
        rows_loaded

    from loads

)

select * from final
