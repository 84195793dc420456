-- Project budgets (hours and amount), of every provider whose projects carry one.

{{ union_providers([
    'stg_exact_online__project_budgets',
    'stg_csv_import__project_budgets',
    'stg_teamleader__project_budgets',
]) }}
