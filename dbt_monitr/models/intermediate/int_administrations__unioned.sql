-- Administrations (divisions, tenants, ...) of every provider, with their reporting currency.

{{ union_providers([
    'stg_exact_online__administrations',
    'stg_eboekhouden__administrations',
    'stg_csv_import__administrations',
    'stg_xero__administrations',
    'stg_quickbooks__administrations',
    'stg_moneybird__administrations',
    'stg_odoo__administrations',
    'stg_twinfield__administrations',
    'stg_minox__administrations',
    'stg_yuki__administrations',
    'stg_horus__administrations',
    'stg_octopus__administrations',
]) }}
