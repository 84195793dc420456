-- Annual accounts of every annual-accounts provider, one row per provider, entity and fiscal year: balance-sheet and profit-and-loss totals, filing status and dates. A provider joins with one line.

{{ union_providers([
    'stg_eblinqx__annual_accounts',
]) }}
