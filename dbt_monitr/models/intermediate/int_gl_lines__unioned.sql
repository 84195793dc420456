-- GL lines of every provider (one list element per provider).

{{ union_providers([
    'stg_exact_online__gl_lines',
    'stg_eboekhouden__gl_lines',
    'stg_csv_import__gl_lines',
    'stg_xero__gl_lines',
    'stg_quickbooks__gl_lines',
    'stg_moneybird__gl_lines',
    'stg_odoo__gl_lines',
    'stg_twinfield__gl_lines',
    'stg_minox__gl_lines',
    'stg_yuki__gl_lines',
    'stg_horus__gl_lines',
    'stg_octopus__gl_lines',
]) }}
