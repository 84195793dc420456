{#-
    Like dbt's relationships test, but the match is made within the same partition (by default the
    same provider and entity): account codes, axis codes and periods are only unique per entity.
    `to_condition` filters the parent (e.g. "axis_type = 'cost_centre'").
-#}
{% test relationships_within_entity(model, column_name, to, field, partition_by=['provider', 'entity_id'], to_condition=none) %}

with child as (

    select
        {% for column in partition_by -%}
        {{ column }},
        {% endfor -%}
        {{ column_name }} as child_value
    from {{ model }}
    where {{ column_name }} is not null

),

parent as (

    select distinct
        {% for column in partition_by -%}
        {{ column }},
        {% endfor -%}
        {{ field }} as parent_value
    from {{ to }}
    {%- if to_condition %}
    where {{ to_condition }}
    {%- endif %}

)

select child.*
from child
left join parent
    on child.child_value = parent.parent_value
    {%- for column in partition_by %}
    and child.{{ column }} = parent.{{ column }}
    {%- endfor %}
where parent.parent_value is null

{% endtest %}
