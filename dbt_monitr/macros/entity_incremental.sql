{#-
    Incremental marts rebuilt per provider x entity (fct_gl_lines, fct_entry_balances).

    dlt stamps every raw row it writes with the load's `_dlt_load_id` (load ids grow with time, and
    an entity's imports run one after another) and hard-deletes rows the provider deleted. So the
    newest load id and the row count of an entity's rows over every raw table a mart reads change
    whenever the entity's raw data changes: a write brings a newer load id, a deletion alone lowers
    the count. int_gl_lines__entity_inputs holds that pair per entity (the count as its
    `inputs_state`); each mart row carries it,
    hashed together with the transform code (entity_inputs_fingerprint). A build then
      1. deletes the rows of every entity whose fingerprint is no longer current (pre-hook
         delete_rebuilt_entities: changed entities, entities gone from the raw tables, and all of
         them after a change to the SQL upstream of the mart), and
      2. inserts the rows of the entities the mart has no current rows for (entities_to_build),
         reading only those entities' lines (entities_to_build_filter), with delete+insert on
         (provider, entity_id) as the model's strategy.
    Unchanged entities' rows are not touched. `dbt build --full-refresh` rebuilds every entity; it
    is needed only after changing a macro the marts are built with (macros are not in the checksum)
    or a column's type (on_schema_change adds and drops columns, it does not retype them).
    Known limits: an entity with raw rows but no GL lines has no row to carry its fingerprint, so
    each build looks at it again (and finds nothing); the pair assumes dlt gives each load a newer
    id than the entity's earlier ones, as it does (load ids are creation timestamps, and one
    entity's imports do not overlap).
-#}


{#- Unique ids of every node (models and sources) the given node reads, directly or not. -#}
{% macro upstream_unique_ids(unique_id, found=none) %}
    {%- set found = [] if found is none else found -%}
    {%- set node = graph.nodes.get(unique_id) -%}
    {%- if node is not none -%}
        {%- for parent_id in node.depends_on.nodes if parent_id not in found -%}
            {%- do found.append(parent_id) -%}
            {%- do upstream_unique_ids(parent_id, found) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{% endmacro %}


{#- The raw tables (dbt sources) upstream of a model, as graph nodes. -#}
{% macro upstream_sources(model_name) %}
    {%- set unique_id = "model." ~ project_name ~ "." ~ model_name -%}
    {%- set sources = [] -%}
    {%- for upstream_id in upstream_unique_ids(unique_id) | sort if upstream_id in graph.sources -%}
        {%- do sources.append(graph.sources[upstream_id]) -%}
    {%- endfor -%}
    {{ return(sources) }}
{% endmacro %}


{#- Checksum of the SQL of the current model and of every model upstream of it: a changed model
    changes every entity's fingerprint, so an edit to the transforms reaches every entity's rows
    without a full refresh. (Macros are not covered: after changing a macro they use, run
    `dbt build --full-refresh`.) -#}
{% macro transform_checksum() %}
    {%- if not execute -%}
        {#- Parse time: the graph is not there yet, and the SQL is not run. -#}
        {{ return("") }}
    {%- endif -%}
    {%- set checksums = [] -%}
    {%- for unique_id in [model.unique_id] + upstream_unique_ids(model.unique_id) | sort
        if unique_id in graph.nodes -%}
        {%- do checksums.append(unique_id ~ "=" ~ graph.nodes[unique_id].checksum.checksum) -%}
    {%- endfor -%}
    {{ return(local_md5(checksums | join(","))) }}
{% endmacro %}


{#- The fingerprint of an entity inputs row (by its alias) for the current model. An entity inputs
    model (int_gl_lines__entity_inputs, int_reports__entity_inputs) has one row per provider x
    entity with `load_id` (the newest raw load behind the entity's rows) and `inputs_state` (text
    that changes whenever the entity's inputs do: a row count, a hash of its account mappings). -#}
{% macro entity_inputs_fingerprint(inputs_alias) %}
    {{- surrogate_key([inputs_alias ~ ".load_id", inputs_alias ~ ".inputs_state",
                       "'" ~ transform_checksum() ~ "'"]) -}}
{% endmacro %}


{#- Pre-hook: delete the rows of every entity whose fingerprint is not current. A mart from before
    the fingerprint column existed is emptied (and refilled by the same build). -#}
{% macro delete_rebuilt_entities(entity_inputs) %}
    {%- if execute and is_incremental() -%}
        {%- set columns = adapter.get_columns_in_relation(this) | map(attribute="name") | map("lower") | list -%}
        {%- if "entity_inputs_fingerprint" not in columns %}
            delete from {{ this }}
        {%- else %}
            delete from {{ this }} as built
            where not exists (
                select 1
                from {{ entity_inputs }} as inputs
                where inputs.provider = built.provider
                    and inputs.entity_id = built.entity_id
                    and {{ entity_inputs_fingerprint("inputs") }} = built.entity_inputs_fingerprint
            )
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- select list of the entities to (re)build, each with its load id and fingerprint: every entity on
    a full build; on an incremental one those without current rows in the mart. -#}
{% macro entities_to_build(entity_inputs) %}
    select
        inputs.provider,
        inputs.entity_id,
        inputs.load_id as entity_inputs_load_id,
        {{ entity_inputs_fingerprint("inputs") }} as entity_inputs_fingerprint

    from {{ entity_inputs }} as inputs
    {%- if is_incremental() and execute
        and "entity_inputs_fingerprint" in adapter.get_columns_in_relation(this) | map(attribute="name") | map("lower") | list %}
    where not exists (
        select 1
        from {{ this }} as built
        where built.provider = inputs.provider
            and built.entity_id = inputs.entity_id
            and built.entity_inputs_fingerprint = {{ entity_inputs_fingerprint("inputs") }}
    )
    {%- endif %}
{% endmacro %}


{#- A filter on the lines read by an incremental build: the providers and entity ids of
    entities_to_build, as literals, so that the database reads only those entities' raw rows (a
    join with entities_to_build alone makes it build every entity's lines and then drop most). The
    set is looked up when the model is compiled, which dbt does right before running it, after
    int_gl_lines__entity_inputs was built; the pre-hook deletes only rows of entities not current,
    so it does not change the set. The join with entities_to_build stays the exact condition; this
    filter may only let more rows through, never fewer. -#}
{% macro entities_to_build_filter(entity_inputs, provider_column, entity_column) %}
    {%- if not (execute and is_incremental()) -%}
        {{ return("1 = 1") }}
    {%- endif -%}
    {%- set entities = run_query(entities_to_build(entity_inputs)) -%}
    {%- if entities | length == 0 -%}
        {{ return("1 = 0") }}
    {%- endif -%}
    {%- if entities | length > 1000 -%}
        {#- Most entities, after a change to the SQL: no point in listing them. -#}
        {{ return("1 = 1") }}
    {%- endif -%}
    {%- set providers = entities.columns["provider"].values() | unique | sort -%}
    {%- set entity_ids = entities.columns["entity_id"].values() | unique | sort -%}
    {{ return(provider_column ~ " in ('" ~ providers | join("', '") ~ "') and "
              ~ entity_column ~ " in (" ~ entity_ids | join(", ") ~ ")") }}
{% endmacro %}


{#- The lines of both incremental GL marts: the GL lines (in the reporting currency) of the
    entities to build, each with the entity's inputs (load id, fingerprint) the mart rows carry. -#}
{% macro gl_lines_to_build() %}
    with entities as (

        {{ entities_to_build(ref('int_gl_lines__entity_inputs')) }}

    )

    select
        with_currency.*,
        entities.entity_inputs_load_id,
        entities.entity_inputs_fingerprint

    from {{ ref('int_gl_lines__with_currency') }} as with_currency
    inner join entities
        on with_currency.provider = entities.provider
        and with_currency.entity_id = entities.entity_id
    where {{ entities_to_build_filter(ref('int_gl_lines__entity_inputs'),
                                      'with_currency.provider', 'with_currency.entity_id') }}
{% endmacro %}
