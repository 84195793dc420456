-- Administrations (divisions, tenants, ...) of every provider, with their reporting currency.

{{ union_providers([
    'stg_exact_online__administrations',
]) }}
