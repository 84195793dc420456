-- Costs other than hours registered on projects, of every provider that has them.

{{ union_providers([
    'stg_exact_online__project_costs',
    'stg_csv_import__project_costs',
    'stg_teamleader__project_costs',
]) }}
