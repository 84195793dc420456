{#-
    monitr_source(source_name, table_name): the raw table when it exists, otherwise an empty subquery
    with the columns and types declared in the sources yml. dlt creates a provider's tables only once
    an entity of that provider has loaded data (and a column only once it has held a non-null value),
    so a provider with nothing connected yet, or a column never filled, must not break `dbt build`.
    Staging models read raw data only through this macro:
        select * from {{ monitr_source('exact_online', 'gl_transaction_lines') }}
    (the result is always a complete FROM item; do not alias it).
-#}
{% macro monitr_source(source_name, table_name) %}
    {#- Called unconditionally so the dependency on the source is recorded at parse time. -#}
    {%- set declared_relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(declared_relation) }}
    {%- endif -%}

    {%- set declared_columns = monitr_declared_columns(source_name, table_name) -%}
    {%- set existing_relation = adapter.get_relation(
        database=declared_relation.database,
        schema=declared_relation.schema,
        identifier=declared_relation.identifier,
    ) -%}

    {%- if existing_relation is none -%}
        {%- set select_list = [] -%}
        {%- for column in declared_columns -%}
            {%- do select_list.append(
                "cast(null as " ~ monitr_warehouse_type(column.data_type) ~ ") as " ~ adapter.quote(column.name)
            ) -%}
        {%- endfor -%}
        {{ return("(select " ~ select_list | join(", ") ~ " where 1 = 0) as " ~ adapter.quote(table_name)) }}
    {%- endif -%}

    {%- set present = [] -%}
    {%- for column in adapter.get_columns_in_relation(existing_relation) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in declared_columns if column.name | lower not in present -%}
        {%- do missing.append(column.name) -%}
    {%- endfor -%}
    {%- if missing | length == 0 -%}
        {{ return(declared_relation) }}
    {%- endif -%}

    {#- The table exists but dlt has not (yet) created some declared columns: fill them with typed nulls. -#}
    {%- set select_list = [] -%}
    {%- for column in declared_columns -%}
        {%- if column.name in missing -%}
            {%- do select_list.append(
                "cast(null as " ~ monitr_warehouse_type(column.data_type) ~ ") as " ~ adapter.quote(column.name)
            ) -%}
        {%- else -%}
            {%- do select_list.append(adapter.quote(column.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("(select " ~ select_list | join(", ") ~ " from " ~ declared_relation ~ ") as " ~ adapter.quote(table_name)) }}
{% endmacro %}


{#- The columns declared for a source table in the sources yml, in order: a list of {name, data_type}. -#}
{% macro monitr_declared_columns(source_name, table_name) %}
    {%- set columns = [] -%}
    {%- for node in graph.sources.values()
        if node.package_name == project_name and node.source_name == source_name and node.name == table_name -%}
        {%- for column in node.columns.values() -%}
            {%- if not column.data_type -%}
                {{ exceptions.raise_compiler_error(
                    "Source " ~ source_name ~ "." ~ table_name ~ " column " ~ column.name ~ " has no data_type") }}
            {%- endif -%}
            {%- do columns.append({"name": column.name, "data_type": column.data_type}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Source " ~ source_name ~ "." ~ table_name ~ " declares no columns; monitr_source needs them") }}
    {%- endif -%}
    {{ return(columns) }}
{% endmacro %}


{#- Warehouse type of a dlt data type (the sources yml declares dlt's type names). -#}
{% macro monitr_warehouse_type(dlt_type) %}
    {{ return(adapter.dispatch('monitr_warehouse_type', 'monitr')(dlt_type)) }}
{% endmacro %}

{% macro default__monitr_warehouse_type(dlt_type) %}
    {%- set types = {
        "text": dbt.type_string(),
        "bigint": dbt.type_bigint(),
        "double": "double precision",
        "decimal": "decimal(38, 9)",
        "wei": "decimal(38, 0)",
        "bool": dbt.type_boolean(),
        "date": "date",
        "time": "time",
        "timestamp": "timestamp with time zone",
        "json": "json",
        "binary": "bytea",
    } -%}
    {{ return(types.get(dlt_type | lower, dlt_type)) }}
{% endmacro %}

{% macro postgres__monitr_warehouse_type(dlt_type) %}
    {%- if dlt_type | lower == "json" -%}
        {{ return("jsonb") }}
    {%- endif -%}
    {{ return(default__monitr_warehouse_type(dlt_type)) }}
{% endmacro %}

{% macro duckdb__monitr_warehouse_type(dlt_type) %}
    {%- if dlt_type | lower == "binary" -%}
        {{ return("blob") }}
    {%- endif -%}
    {{ return(default__monitr_warehouse_type(dlt_type)) }}
{% endmacro %}
