{#- stripe_major_units(amount, currency): a Stripe amount (minor units) in the currency's major unit.
    Zero-decimal currencies are written in whole units (docs.stripe.com/currencies#zero-decimal). -#}
{% macro stripe_major_units(amount, currency) -%}
    cast({{ amount }} as decimal(38, 9)) / case
        when lower({{ currency }}) in ('bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg',
                                       'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf') then 1
        else 100
    end
{%- endmacro %}
