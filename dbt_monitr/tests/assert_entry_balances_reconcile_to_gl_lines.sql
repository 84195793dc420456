-- fct_entry_balances must add up to fct_gl_lines per provider and entity: no line lost or counted twice.
-- Shown in Dagster as a check on fct_entry_balances.
{{ config(meta={'dagster': {'ref': {'name': 'fct_entry_balances'}}}) }}

with lines as (

    select provider, entity_id, count(*) as line_count, sum(amount) as amount, sum(debit_amount) as debit
    from {{ ref('fct_gl_lines') }}
    group by provider, entity_id

),

entries as (

    select provider, entity_id, sum(line_count) as line_count, sum(balance) as amount, sum(debit_total) as debit
    from {{ ref('fct_entry_balances') }}
    group by provider, entity_id

)

select
    coalesce(lines.provider, entries.provider) as provider,
    coalesce(lines.entity_id, entries.entity_id) as entity_id,
    lines.line_count as gl_line_count,
    entries.line_count as entry_line_count,
    lines.debit as gl_debit,
    entries.debit as entry_debit
from lines
full outer join entries
    on lines.provider = entries.provider
    and lines.entity_id = entries.entity_id
where lines.provider is null
    or entries.provider is null
    or lines.line_count <> entries.line_count
    or lines.amount <> entries.amount
    or lines.debit <> entries.debit
