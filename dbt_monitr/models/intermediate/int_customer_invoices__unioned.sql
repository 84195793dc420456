-- Customer invoices of the revenue providers (one list element per provider): status, amounts in major units, invoiced and paid moments; the input of fct_customer_revenue.

{{ union_providers([
    'stg_stripe__customer_invoices',
]) }}
