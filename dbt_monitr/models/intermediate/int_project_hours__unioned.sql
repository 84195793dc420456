-- Hours registered on projects, of every provider that has them.

{{ union_providers([
    'stg_exact_online__project_hours',
    'stg_csv_import__project_hours',
    'stg_teamleader__project_hours',
]) }}
