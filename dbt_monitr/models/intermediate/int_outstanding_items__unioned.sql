-- Open receivables and payables of every provider.

{{ union_providers([
    'stg_exact_online__receivables',
    'stg_exact_online__payables',
    'stg_eboekhouden__outstanding_items',
    'stg_xero__outstanding_items',
    'stg_quickbooks__outstanding_items',
    'stg_moneybird__outstanding_items',
    'stg_odoo__outstanding_items',
    'stg_twinfield__outstanding_items',
    'stg_minox__outstanding_items',
    'stg_yuki__outstanding_items',
    'stg_octopus__outstanding_items',
]) }}
