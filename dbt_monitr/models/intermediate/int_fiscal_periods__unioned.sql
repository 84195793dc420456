-- Fiscal periods of every provider.

{{ union_providers([
    'stg_exact_online__fiscal_periods',
    'stg_eboekhouden__fiscal_periods',
    'stg_xero__fiscal_periods',
    'stg_quickbooks__fiscal_periods',
    'stg_moneybird__fiscal_periods',
    'stg_csv_import__fiscal_periods',
    'stg_odoo__fiscal_periods',
    'stg_twinfield__fiscal_periods',
    'stg_minox__fiscal_periods',
    'stg_yuki__fiscal_periods',
    'stg_horus__fiscal_periods',
    'stg_octopus__fiscal_periods',
]) }}
