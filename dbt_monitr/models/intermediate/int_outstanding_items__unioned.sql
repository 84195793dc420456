-- Open receivables and payables of every provider.

{{ union_providers([
    'stg_exact_online__receivables',
    'stg_exact_online__payables',
]) }}
