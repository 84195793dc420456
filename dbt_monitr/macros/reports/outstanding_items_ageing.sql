{#-
    What fct_outstanding_items_ageing needs beside macros/entity_incremental.sql: the import each
    entity's open items come from (its newest dlt load), the date of a load, and a pre-hook.

    fct_outstanding_items holds only the latest state of an entity's open items, so the ageing mart
    keeps the history of imports itself: each build appends the ageing of the entities whose newest
    load it has not aged yet (their `import_load_id`), dated the day of that load.
-#}


{#- select list: one row per provider x entity with `load_id`, the newest `_dlt_load_id` over the raw
    tables fct_outstanding_items is built from (the open items and the administrations that give
    their currency), for the providers that have open items. Every import of an entity writes its
    administration rows and its open-items snapshot, so the newest load id is the entity's last
    import. Like int_gl_lines__entity_inputs it reads only dlt's bookkeeping columns, and a table
    dlt has not created yet is left out. -#}
{% macro outstanding_items_import_loads() %}
    {%- set text = dbt.type_string() -%}
    {%- set per_table = [] -%}
    {%- if execute -%}
        {%- set item_providers = upstream_sources('int_outstanding_items__unioned')
                                 | map(attribute='source_name') | unique | list -%}
        {%- for source_node in upstream_sources('fct_outstanding_items')
            if source_node.source_name in item_providers -%}
            {%- set relation = adapter.get_relation(database=source_node.database,
                                                    schema=source_node.schema,
                                                    identifier=source_node.identifier) -%}
            {%- if relation is not none -%}
                {%- do per_table.append(
                    "select cast('" ~ source_node.source_name ~ "' as " ~ text ~ ") as provider, "
                    ~ "cast(_monitr_entity_id as bigint) as entity_id, "
                    ~ "cast(max(_dlt_load_id) as " ~ text ~ ") as load_id "
                    ~ "from " ~ relation ~ " group by _monitr_entity_id") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif %}
    select provider, entity_id, max(load_id) as load_id
    from (
        {%- if per_table %}
        {{ per_table | join("\n        union all\n        ") }}
        {%- else %}
        select cast(null as {{ text }}) as provider, cast(null as bigint) as entity_id,
            cast(null as {{ text }}) as load_id
        where 1 = 0
        {%- endif %}
    ) as table_loads
    where entity_id is not null
    group by provider, entity_id
{%- endmacro %}


{#- The calendar day (Europe/Amsterdam, where the entities and the import schedules are) a dlt load
    was made: a load id is the load's creation time in epoch seconds ("1733312345.123456"). -#}
{% macro load_id_date(load_id) -%}
    cast(to_timestamp(cast({{ load_id }} as double precision)) at time zone 'Europe/Amsterdam' as date)
{%- endmacro %}


{#- Pre-hook: the month-end (history) ageing is recomputed whole every build from
    fct_outstanding_item_history (which a new import may change for any month), so its old rows go
    first; the import rows stay (earlier imports cannot be computed again). -#}
{% macro delete_history_ageing() %}
    {%- if execute and is_incremental() %}
        delete from {{ this }} where as_of_basis = 'history'
    {%- endif -%}
{% endmacro %}
