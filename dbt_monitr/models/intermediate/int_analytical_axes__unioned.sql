-- Cost centres, cost units and projects of every provider.

{{ union_providers([
    'stg_exact_online__cost_centres',
    'stg_exact_online__cost_units',
    'stg_exact_online__projects',
]) }}
