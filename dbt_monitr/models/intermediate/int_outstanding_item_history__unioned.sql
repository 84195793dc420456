-- Receivable and payable items of the providers that tell when an item was settled, with opened_on and settled_on (see fct_outstanding_item_history). A provider joins with one line.

{{ union_providers([
    'stg_odoo__outstanding_item_history',
    'stg_twinfield__outstanding_item_history',
    'stg_yuki__outstanding_item_history',
]) }}
