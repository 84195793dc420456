-- An entity's rows of a raw table fell by more than 20% since its previous import and its latest import's own deletions do not explain the fall: rows were lost outside any import (a truncated table, rows deleted by hand, an older backup restored); re-import the entity in full.
{#-
    Only an import removes raw rows, and only through the deletions it loads, so the rows an
    import's load removed (before minus after, when they fell) are the deletions it recorded; see
    monitr_pipeline/entity_table_counts_table.py. The latest import per entity x table only: the
    next import's counts start from what is there. A warning: nothing is built from these counts.
-#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_monitr__entity_table_counts'}}}) }}

with counts as (

    select * from {{ ref('stg_monitr__entity_table_counts') }}

),

ordered as (

    select
        provider,
        organisation_id,
        entity_id,
        table_name,
        import_run_id,
        counted_at,
        rows_before_load,
        rows_after_load,
        lag(rows_after_load) over (
            partition by provider, entity_id, table_name
            order by counted_at, import_run_id
        ) as previous_row_count,
        row_number() over (
            partition by provider, entity_id, table_name
            order by counted_at desc, import_run_id desc
        ) as newest_first

    from counts

),

latest as (

    select
        provider,
        organisation_id,
        entity_id,
        table_name,
        import_run_id,
        counted_at,
        previous_row_count,
        rows_after_load as row_count,
        case when rows_before_load > rows_after_load
            then rows_before_load - rows_after_load else 0 end as rows_deleted

    from ordered
    where newest_first = 1

),

final as (

    select
        provider,
        organisation_id,
        entity_id,
        table_name,
        import_run_id,
        counted_at,
        previous_row_count,
        row_count,
        rows_deleted,
        previous_row_count - row_count - rows_deleted as difference

    from latest
    where previous_row_count > 0
        and previous_row_count - row_count > 0.2 * previous_row_count
        and rows_deleted < previous_row_count - row_count

)

select * from final
