{#-
    union_providers(model_names): `union all` of the providers' staging models of one domain, matched
    by column name. Columns are ordered as in the first model; a column a model lacks becomes a typed
    null, and every column is cast to the type it has in the first model that has it, so one provider's
    staging model cannot change the union's types. Adding a provider adds one name to the list:
        {{ union_providers(['stg_exact_online__gl_lines', 'stg_moneybird__gl_lines']) }}
-#}
{% macro union_providers(model_names) %}
    {%- set relations = [] -%}
    {%- for model_name in model_names -%}
        {%- do relations.append(ref(model_name)) -%}
    {%- endfor -%}

    {%- if not execute -%}
        {#- Parse time: only the refs above matter. -#}
        {{ return("") }}
    {%- endif -%}

    {%- set column_names = [] -%}
    {%- set column_types = {} -%}
    {%- set columns_by_relation = [] -%}
    {%- for relation in relations -%}
        {%- set names = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- set name = column.name | lower -%}
            {%- do names.append(name) -%}
            {%- if name not in column_types -%}
                {%- do column_names.append(name) -%}
                {#- Column.data_type renders text as varchar(256), which Postgres would truncate to. -#}
                {%- do column_types.update({name: dbt.type_string() if column.is_string() else column.data_type}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do columns_by_relation.append(names) -%}
    {%- endfor -%}

    {%- if columns_by_relation | select("equalto", []) | list | length > 0 -%}
        {#- A staging model not built yet (e.g. `dbt compile` on an empty warehouse): plain union. -#}
        {%- set selects = [] -%}
        {%- for relation in relations -%}
            {%- do selects.append("select * from " ~ relation) -%}
        {%- endfor -%}
        {{ return(selects | join("\nunion all\n")) }}
    {%- endif -%}

    {%- for relation in relations %}
    {%- set names = columns_by_relation[loop.index0] %}
    select
        {%- for name in column_names %}
        {% if name in names -%}
            cast({{ adapter.quote(name) }} as {{ column_types[name] }}) as {{ adapter.quote(name) }}
        {%- else -%}
            cast(null as {{ column_types[name] }}) as {{ adapter.quote(name) }}
        {%- endif -%}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ relation }}
    {%- if not loop.last %}

    union all
    {% endif -%}
    {%- endfor %}
{% endmacro %}
