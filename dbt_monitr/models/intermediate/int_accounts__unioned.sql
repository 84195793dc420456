-- GL accounts of every provider.

{{ union_providers([
    'stg_exact_online__accounts',
    'stg_eboekhouden__accounts',
    'stg_csv_import__accounts',
    'stg_xero__accounts',
    'stg_quickbooks__accounts',
    'stg_moneybird__accounts',
    'stg_odoo__accounts',
    'stg_twinfield__accounts',
    'stg_minox__accounts',
    'stg_yuki__accounts',
    'stg_horus__accounts',
    'stg_octopus__accounts',
]) }}
