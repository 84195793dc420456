-- Moneybird GL lines: the booking lines of every journal document, financial mutation, sales and purchase invoice, each document balanced. Lines Moneybird books on system accounts the document does not name (debtors, creditors, sales and purchase VAT, unprocessed bank amounts) take the administration's account with that role's RGS code.
{%- set text = dbt.type_string() %}
{%- set document_line_models = [
    'stg_moneybird__journal_document_lines',
    'stg_moneybird__financial_mutation_lines',
    'stg_moneybird__invoice_lines',
] %}
{%- set line_columns = [
    'organisation_id', 'entity_id', 'source_id', 'source_entry_id', 'administration_id',
    'entry_number', 'line_sort', 'booking_date', 'journal_code', 'journal_name', 'source_account_id',
    'account_role', 'description', 'amount', 'transaction_currency', 'vat_code', 'source_project_id',
    'source_relation_id', 'relation_code', 'relation_name', 'source_entry_type', 'entry_type',
    'invoice_number', 'due_date', 'source_modified_at', 'import_load_id',
] %}

with lines as (

    {% for model in document_line_models -%}
    select {{ line_columns | join(', ') }} from {{ ref(model) }}
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}

),

accounts as (

    select * from {{ ref('stg_moneybird__accounts') }}

),

projects as (

    select * from {{ ref('stg_moneybird__projects') }}

),

-- RGS codes of Moneybird's system accounts (its default chart: Debiteuren BVorDebHad, Crediteuren
-- BSchCreHac, Te vorderen btw BSchBepBtwVoo, Te betalen btw BSchBepBtw..., Te rubriceren BLimKruSto).
-- Of several accounts with a role, the lowest account code takes it.
account_roles as (

    select
        entity_id,
        source_id,
        account_code,
        case
            when rgs_code = 'BVorDebHad' then 'debtors'
            when rgs_code = 'BSchCreHac' then 'creditors'
            when rgs_code like 'BSchBepBtwVoo%' then 'purchase_tax'
            when rgs_code like 'BSchBepBtw%'
                and rgs_code not like 'BSchBepBtwAfo%'
                and rgs_code not like 'BSchBepBtwOvm%' then 'sales_tax'
            when rgs_code like 'BLimKruSto%' then 'unprocessed'
        end as account_role

    from accounts

),

role_accounts as (

    select entity_id, account_role, source_id
    from (
        select
            account_roles.*,
            row_number() over (partition by entity_id, account_role order by account_code) as rank_in_role
        from account_roles
        where account_role is not null
    ) ranked
    where rank_in_role = 1

),

final as (

    select
        cast('moneybird' as {{ text }}) as provider,
        lines.organisation_id,
        lines.entity_id,
        lines.source_id,
        lines.source_entry_id,
        lines.administration_id,
        lines.entry_number,
        cast(row_number() over (partition by lines.entity_id, lines.source_entry_id
                                order by lines.line_sort, lines.source_id) as integer) as line_number,
        lines.booking_date,
        cast(extract(year from lines.booking_date) as integer) as fiscal_year,
        cast(extract(month from lines.booking_date) as integer) as fiscal_period,
        lines.journal_code,
        lines.journal_name,
        coalesce(lines.source_account_id, role_accounts.source_id) as source_account_id,
        accounts.account_code,
        accounts.account_name,
        lines.description,
        cast(lines.amount as decimal(18, 2)) as amount,
        -- Moneybird's base-currency amounts; invoices in another currency are not emulated.
        cast(lines.amount as decimal(18, 2)) as transaction_amount,
        cast(null as decimal(18, 2)) as transaction_vat_amount,
        lines.transaction_currency,
        lines.vat_code,
        cast(null as {{ text }}) as cost_centre_code,
        cast(null as {{ text }}) as cost_centre_name,
        cast(null as {{ text }}) as cost_unit_code,
        cast(null as {{ text }}) as cost_unit_name,
        lines.source_project_id,
        projects.code as project_code,
        lines.source_relation_id,
        lines.relation_code,
        lines.relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        lines.source_entry_type,
        lines.entry_type,
        cast(lines.entry_type = 'opening' as boolean) as is_opening_entry,
        lines.invoice_number,
        lines.due_date,
        lines.source_modified_at,
        lines.import_load_id

    from lines
    left join role_accounts
        on lines.source_account_id is null
        and lines.entity_id = role_accounts.entity_id
        and lines.account_role = role_accounts.account_role
    left join accounts
        on lines.entity_id = accounts.entity_id
        and coalesce(lines.source_account_id, role_accounts.source_id) = accounts.source_id
    left join projects
        on lines.entity_id = projects.entity_id
        and lines.source_project_id = projects.source_id

)

select * from final
