-- Moneybird financial mutations as GL lines: the bank line (amount, money in positive) on the financial account's ledger account, and against it each invoice payment (on the invoice's control account) and ledger account booking. Their prices are positive in the direction of the mutation, so a line is -price for money in and +price for money out; a part not booked yet (amount_open) stays on the unprocessed (te rubriceren) account.
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}
{%- set json_array_elements = 'jsonb_array_elements' if target.type == 'postgres' else 'json_each' %}
{%- set against = "(case when mutations.amount < 0 then 1 else -1 end)" %}
{%- set document_columns %}
        cast(mutations._monitr_organisation_id as bigint) as organisation_id,
        cast(mutations._monitr_entity_id as bigint) as entity_id,
        cast(mutations.id as {{ text }}) as source_entry_id,
        cast(mutations.administration_id as {{ text }}) as administration_id,
        cast(null as {{ text }}) as entry_number,
        cast(mutations."date" as date) as booking_date,
        cast('financial_mutation' as {{ text }}) as journal_code,
        cast('Bank' as {{ text }}) as journal_name,
        cast(mutations.currency as {{ text }}) as transaction_currency,
        cast(null as {{ text }}) as vat_code,
        cast(null as {{ text }}) as source_relation_id,
        cast(null as {{ text }}) as relation_code,
        cast(mutations.contra_account_name as {{ text }}) as relation_name,
        cast(mutations.state as {{ text }}) as source_entry_type,
        cast('bank' as {{ text }}) as entry_type,
        cast(null as {{ text }}) as invoice_number,
        cast(null as date) as due_date,
        cast(mutations.updated_at as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(mutations._dlt_load_id as {{ text }}) as import_load_id
{%- endset %}

with mutations as (

    select * from {{ monitr_source('moneybird', 'financial_mutations') }}

),

ledger_accounts as (

    select * from {{ monitr_source('moneybird', 'ledger_accounts') }}

),

financial_accounts as (

    select
        _monitr_entity_id,
        financial_account_id,
        min(id) as ledger_account_id

    from ledger_accounts
    where financial_account_id is not null
    group by _monitr_entity_id, financial_account_id

),

bank_lines as (

    select
        {{ document_columns }},
        cast(mutations.id || ':bank' as {{ text }}) as source_id,
        0 as line_sort,
        cast(financial_accounts.ledger_account_id as {{ text }}) as source_account_id,
        cast(null as {{ text }}) as account_role,
        cast(mutations.message as {{ text }}) as description,
        cast(mutations.amount as decimal(18, 2)) as amount,
        cast(null as {{ text }}) as source_project_id

    from mutations
    left join financial_accounts
        on mutations._monitr_entity_id = financial_accounts._monitr_entity_id
        and mutations.financial_account_id = financial_accounts.financial_account_id

),

booking_lines as (

    select
        {{ document_columns }},
        cast(booking.value ->> 'id' as {{ text }}) as source_id,
        1 as line_sort,
        cast(booking.value ->> 'ledger_account_id' as {{ text }}) as source_account_id,
        cast(null as {{ text }}) as account_role,
        cast(coalesce(booking.value ->> 'description', mutations.message) as {{ text }}) as description,
        {{ against }} * cast(booking.value ->> 'price' as decimal(18, 2)) as amount,
        cast(booking.value ->> 'project_id' as {{ text }}) as source_project_id

    from mutations
    cross join lateral {{ json_array_elements }}(cast(mutations.ledger_account_bookings as {{ json }})) as booking

),

payment_lines as (

    select
        {{ document_columns }},
        cast(payment.value ->> 'id' as {{ text }}) as source_id,
        2 as line_sort,
        cast(payment.value ->> 'ledger_account_id' as {{ text }}) as source_account_id,
        cast(null as {{ text }}) as account_role,
        cast(mutations.message as {{ text }}) as description,
        {{ against }} * cast(payment.value ->> 'price_base' as decimal(18, 2)) as amount,
        cast(null as {{ text }}) as source_project_id

    from mutations
    cross join lateral {{ json_array_elements }}(cast(mutations.payments as {{ json }})) as payment

),

unprocessed_lines as (

    select
        {{ document_columns }},
        cast(mutations.id || ':unprocessed' as {{ text }}) as source_id,
        3 as line_sort,
        cast(null as {{ text }}) as source_account_id,
        cast('unprocessed' as {{ text }}) as account_role,
        cast(mutations.message as {{ text }}) as description,
        -cast(mutations.amount_open as decimal(18, 2)) as amount,
        cast(null as {{ text }}) as source_project_id

    from mutations
    where mutations.amount_open <> 0

),

lines as (

    select * from bank_lines
    union all
    select * from booking_lines
    union all
    select * from payment_lines
    union all
    select * from unprocessed_lines

)

select * from lines
