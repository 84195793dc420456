{#-
    Fails for every row whose column is more than `tolerance` away from zero. Each failing row
    carries `columns` (what names it: provider, entity, period, entry) and the column as
    `difference`, which is what its Dagster asset check shows (assets/check_failures.py).
-#}
{% test nets_to_zero(model, column_name, columns, tolerance=0.005) %}

with final as (

    select
        {{ columns | join(',\n        ') }},
        {{ column_name }} as difference

    from {{ model }}
    where abs({{ column_name }}) > {{ tolerance }}

)

select * from final

{% endtest %}
