-- Department assignments of every payroll provider, each from its month index (year * 12 + month - 1) on.

{{ union_providers([
    'stg_nmbrs__departments',
]) }}
