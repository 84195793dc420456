-- Every entity's trial balance nets to zero in every fiscal period: the period's debits equal its credits, its opening entries net to zero, and the closing balances of all accounts (with the results of earlier years not yet closed into equity) sum to zero. A failing row names the provider, entity and fiscal period and the difference (debit positive).
{{ config(severity='error') }}

with periods as (

    select
        provider,
        organisation_id,
        entity_id,
        fiscal_year,
        fiscal_period,
        sum(debit_movement) as debit_total,
        sum(credit_movement) as credit_total,
        sum(opening_entries_amount) as opening_entries_difference,
        sum(closing_balance) as closing_difference

    from {{ ref('fct_trial_balance') }}
    group by provider, organisation_id, entity_id, fiscal_year, fiscal_period

)

select
    provider,
    organisation_id,
    entity_id,
    fiscal_year,
    fiscal_period,
    debit_total,
    credit_total,
    debit_total - credit_total as movement_difference,
    opening_entries_difference,
    closing_difference as difference

from periods
where abs(debit_total - credit_total) >= 0.01
    or abs(opening_entries_difference) >= 0.01
    or abs(closing_difference) >= 0.01
