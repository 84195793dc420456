-- Cost centres, cost units and projects of every provider.

{{ union_providers([
    'stg_exact_online__cost_centres',
    'stg_exact_online__cost_units',
    'stg_exact_online__projects',
    'stg_eboekhouden__cost_centres',
    'stg_csv_import__projects',
    'stg_xero__tracking_options',
    'stg_quickbooks__analytical_axes',
    'stg_moneybird__projects',
    'stg_odoo__analytical_axes',
    'stg_twinfield__analytical_axes',
    'stg_minox__analytical_axes',
    'stg_yuki__analytical_axes',
    'stg_horus__analytical_axes',
    'stg_octopus__analytical_axes',
]) }}
