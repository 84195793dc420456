-- Working schedules of every payroll provider, each from its start date: FTE and hours a week.

{{ union_providers([
    'stg_nmbrs__schedules',
]) }}
