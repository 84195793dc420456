-- Subscription lines of every provider (one list element per provider): an item of a subscription with its price, quantity, interval, discount and dates; the input of the MRR marts.

{{ union_providers([
    'stg_stripe__subscription_items',
    'stg_teamleader__subscription_items',
]) }}
