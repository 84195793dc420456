-- Fiscal periods of every provider.

{{ union_providers([
    'stg_exact_online__fiscal_periods',
]) }}
