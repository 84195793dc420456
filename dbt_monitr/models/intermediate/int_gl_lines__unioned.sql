-- GL lines of every provider (one list element per provider).

{{ union_providers([
    'stg_exact_online__gl_lines',
]) }}
