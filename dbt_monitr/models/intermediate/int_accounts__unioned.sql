-- GL accounts of every provider.

{{ union_providers([
    'stg_exact_online__accounts',
]) }}
