-- monitr.entity_table_counts renamed and cast: an entity's rows per raw table before and after each import's load.
with source as (

    select * from {{ monitr_source('monitr', 'entity_table_counts') }}

),

final as (

    select
        cast(provider as {{ dbt.type_string() }}) as provider,
        cast(organisation_id as bigint) as organisation_id,
        cast(entity_id as bigint) as entity_id,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(import_run_id as bigint) as import_run_id,
        cast(dagster_run_id as {{ dbt.type_string() }}) as dagster_run_id,
        cast(counted_at as {{ dbt.type_timestamp() }}) as counted_at,
        cast(rows_before_load as bigint) as rows_before_load,
        cast(rows_after_load as bigint) as rows_after_load

    from source

)

select * from final
