{#- Fails for every group whose column sums to more than `tolerance` away from zero (debits = credits). -#}
{% test balanced(model, column_name, group_by, tolerance=0.005) %}

select
    {{ group_by | join(',\n    ') }},
    count(*) as line_count,
    sum({{ column_name }}) as imbalance

from {{ model }}
group by {{ group_by | join(', ') }}
having abs(sum({{ column_name }})) > {{ tolerance }}

{% endtest %}
