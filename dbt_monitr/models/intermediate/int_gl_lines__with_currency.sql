-- GL lines of every provider with the entity's reporting currency and the debit/credit split; fct_gl_lines and fct_entry_balances both read it.

with lines as (

    select * from {{ ref('int_gl_lines__unioned') }}

),

administrations as (

    select * from {{ ref('int_administrations__unioned') }}

),

entity_currencies as (

    select * from {{ ref('int_entities__reporting_currency') }}

),

final as (

    select
        lines.*,
        cast(case when lines.amount > 0 then lines.amount else 0 end as decimal(18, 2)) as debit_amount,
        cast(case when lines.amount < 0 then -lines.amount else 0 end as decimal(18, 2)) as credit_amount,
        -- The line's own administration first; lines that do not name one take the entity's currency.
        coalesce(administrations.currency, entity_currencies.currency) as currency

    from lines
    left join administrations
        on lines.provider = administrations.provider
        and lines.entity_id = administrations.entity_id
        and lines.administration_id = administrations.administration_id
    left join entity_currencies
        on lines.provider = entity_currencies.provider
        and lines.entity_id = entity_currencies.entity_id

)

select * from final
