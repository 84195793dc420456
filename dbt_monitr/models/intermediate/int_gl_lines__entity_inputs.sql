-- One row per provider x entity: the newest dlt load id and the row count over every raw table the GL lines are built from; what tells the incremental GL marts which entities changed.
{#-
    The raw tables are those upstream of int_gl_lines__with_currency and int_accounts__unioned in
    the dbt graph (lines, accounts, ledgers, periods, administrations and their currencies, ...;
    fct_account_balances reads the accounts' statement), found when the model
    runs, so a provider's new staging join is covered without listing it here. This is the one model
    past staging that reads raw tables, and it reads only dlt's bookkeeping columns (_dlt_load_id,
    _monitr_entity_id), never data. A table dlt has not created yet holds no rows and is left out.
    Materialised as a table so that both marts, and both steps of each (see
    macros/entity_incremental.sql), compare against the same state.
-#}
{{ config(materialized='table') }}
{%- set text = dbt.type_string() %}

{%- set per_table = [] %}
{%- if execute %}
    {%- set source_nodes = {} %}
    {%- for model_name in ['int_gl_lines__with_currency', 'int_accounts__unioned'] %}
        {%- for source_node in upstream_sources(model_name) %}
            {%- do source_nodes.update({source_node.unique_id: source_node}) %}
        {%- endfor %}
    {%- endfor %}
    {%- for source_node in source_nodes.values() | sort(attribute='unique_id') %}
        {%- set relation = adapter.get_relation(database=source_node.database, schema=source_node.schema,
                                                identifier=source_node.identifier) %}
        {%- if relation is not none %}
            {%- do per_table.append(
                "select cast('" ~ source_node.source_name ~ "' as " ~ text ~ ") as provider, "
                ~ "cast(_monitr_entity_id as bigint) as entity_id, "
                ~ "max(_dlt_load_id) as load_id, count(*) as row_count "
                ~ "from " ~ relation ~ " group by _monitr_entity_id") %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

with table_inputs as (

    {%- if per_table %}
    {{ per_table | join("\n    union all\n    ") }}
    {%- else %}
    select cast(null as {{ text }}) as provider, cast(null as bigint) as entity_id,
        cast(null as {{ text }}) as load_id, cast(0 as bigint) as row_count
    where 1 = 0
    {%- endif %}

),

final as (

    select
        provider,
        entity_id,
        cast(max(load_id) as {{ text }}) as load_id,
        cast(sum(row_count) as bigint) as row_count,
        -- What the incremental marts' fingerprint reads beside load_id (macros/entity_incremental.sql).
        cast(sum(row_count) as {{ text }}) as inputs_state

    from table_inputs
    group by provider, entity_id

)

select * from final
