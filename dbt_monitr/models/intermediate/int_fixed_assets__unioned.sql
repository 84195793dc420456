-- Fixed assets of every provider.

{{ union_providers([
    'stg_exact_online__fixed_assets',
    'stg_xero__fixed_assets',
    'stg_moneybird__fixed_assets',
    'stg_octopus__fixed_assets',
]) }}
