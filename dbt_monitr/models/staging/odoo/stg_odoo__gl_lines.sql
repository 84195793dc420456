-- Odoo posted journal items as GL lines (balance = debit - credit, company currency); items Odoo unlinked or reset to draft (gone from move_line_keys) drop out. Fiscal year and period follow the company's fiscal year end (a month end: fiscalyear_last_month).
{%- set text = dbt.type_string() %}
{%- set json = 'jsonb' if target.type == 'postgres' else 'json' %}
{%- set json_each = 'jsonb_each' if target.type == 'postgres' else 'json_each' %}

with move_lines as (

    select * from {{ monitr_source('odoo', 'move_lines') }}

),

move_line_keys as (

    select * from {{ monitr_source('odoo', 'move_line_keys') }}

),

companies as (

    select * from {{ monitr_source('odoo', 'companies') }}

),

accounts as (

    select * from {{ monitr_source('odoo', 'accounts') }}

),

journals as (

    select * from {{ monitr_source('odoo', 'journals') }}

),

partners as (

    select * from {{ monitr_source('odoo', 'partners') }}

),

analytic_accounts as (

    select * from {{ monitr_source('odoo', 'analytic_accounts') }}

),

current_lines as (

    select move_lines.*
    from move_lines
    inner join move_line_keys
        on move_lines._monitr_entity_id = move_line_keys._monitr_entity_id
        and move_lines.id = move_line_keys.id

),

-- analytic_distribution {"<analytic account id>": percent, ...}: one analytic account per plan.
distribution as (

    select
        current_lines._monitr_entity_id,
        current_lines.id as line_id,
        analytic_accounts.id as analytic_id,
        coalesce(nullif(trim(analytic_accounts.code), ''), cast(analytic_accounts.id as {{ text }})) as code,
        analytic_accounts.name,
        case
            when lower(analytic_accounts.plan_name) like '%project%' then 'project'
            when lower(analytic_accounts.plan_name) like '%unit%'
                or lower(analytic_accounts.plan_name) like '%kostendrager%' then 'cost_unit'
            else 'cost_centre'
        end as axis_type

    from current_lines
    cross join lateral {{ json_each }}(cast(current_lines.analytic_distribution as {{ json }})) as item
    inner join analytic_accounts
        on analytic_accounts._monitr_entity_id = current_lines._monitr_entity_id
        and cast(analytic_accounts.id as {{ text }}) = item.key
    where current_lines.analytic_distribution is not null

),

axes as (

    select
        _monitr_entity_id,
        line_id,
        min(case when axis_type = 'cost_centre' then code end) as cost_centre_code,
        min(case when axis_type = 'cost_centre' then name end) as cost_centre_name,
        min(case when axis_type = 'cost_unit' then code end) as cost_unit_code,
        min(case when axis_type = 'cost_unit' then name end) as cost_unit_name,
        min(case when axis_type = 'project' then analytic_id end) as project_id,
        min(case when axis_type = 'project' then code end) as project_code

    from distribution
    group by _monitr_entity_id, line_id

),

renamed as (

    select
        cast('odoo' as {{ text }}) as provider,
        cast(lines._monitr_organisation_id as bigint) as organisation_id,
        cast(lines._monitr_entity_id as bigint) as entity_id,
        cast(lines.id as {{ text }}) as source_id,
        cast(lines.move_id as {{ text }}) as source_entry_id,
        cast(lines.company_id as {{ text }}) as administration_id,
        cast(lines.move_name as {{ text }}) as entry_number,
        cast(row_number() over (partition by lines._monitr_entity_id, lines.move_id
                                order by lines.id) as integer) as line_number,
        cast(lines."date" as date) as booking_date,
        cast(extract(year from cast(lines."date" as date)
             + (12 - coalesce(companies.fiscalyear_last_month, 12)) * interval '1 month') as integer) as fiscal_year,
        cast(extract(month from cast(lines."date" as date)
             + (12 - coalesce(companies.fiscalyear_last_month, 12)) * interval '1 month') as integer) as fiscal_period,
        cast(journals.code as {{ text }}) as journal_code,
        cast(coalesce(journals.name, lines.journal_name) as {{ text }}) as journal_name,
        cast(lines.account_id as {{ text }}) as source_account_id,
        cast(trim(accounts.code) as {{ text }}) as account_code,
        cast(accounts.name as {{ text }}) as account_name,
        cast(lines.name as {{ text }}) as description,
        cast(lines.balance as decimal(18, 2)) as amount,
        cast(lines.amount_currency as decimal(18, 2)) as transaction_amount,
        cast(null as decimal(18, 2)) as transaction_vat_amount,
        cast(lines.currency_name as {{ text }}) as transaction_currency,
        cast(null as {{ text }}) as vat_code,
        cast(axes.cost_centre_code as {{ text }}) as cost_centre_code,
        cast(axes.cost_centre_name as {{ text }}) as cost_centre_name,
        cast(axes.cost_unit_code as {{ text }}) as cost_unit_code,
        cast(axes.cost_unit_name as {{ text }}) as cost_unit_name,
        cast(axes.project_id as {{ text }}) as source_project_id,
        cast(axes.project_code as {{ text }}) as project_code,
        cast(lines.partner_id as {{ text }}) as source_relation_id,
        cast(partners.ref as {{ text }}) as relation_code,
        cast(coalesce(partners.name, lines.partner_name) as {{ text }}) as relation_name,
        cast(null as {{ text }}) as source_fixed_asset_id,
        cast(journals."type" as {{ text }}) as source_entry_type,
        cast(
            case journals."type"
                -- Credit notes share the sales and purchase journals (move_type is not loaded).
                when 'sale' then 'sales'
                when 'purchase' then 'purchase'
                when 'bank' then 'bank'
                when 'cash' then 'bank'
                else 'general'
            end as {{ text }}
        ) as entry_type,
        -- Odoo books no year-opening entries (balances roll forward); the opening move is a
        -- miscellaneous entry like any other.
        cast(false as boolean) as is_opening_entry,
        cast(null as {{ text }}) as invoice_number,
        cast(lines.date_maturity as date) as due_date,
        cast(lines.write_date as timestamp with time zone) as source_modified_at,
        -- The dlt load that wrote the raw row (lineage: monitr.import_loads names its import).
        cast(lines._dlt_load_id as {{ text }}) as import_load_id

    from current_lines as lines
    left join companies
        on lines._monitr_entity_id = companies._monitr_entity_id
    left join accounts
        on lines._monitr_entity_id = accounts._monitr_entity_id
        and lines.account_id = accounts.id
    left join journals
        on lines._monitr_entity_id = journals._monitr_entity_id
        and lines.journal_id = journals.id
    left join partners
        on lines._monitr_entity_id = partners._monitr_entity_id
        and lines.partner_id = partners.id
    left join axes
        on lines._monitr_entity_id = axes._monitr_entity_id
        and lines.id = axes.line_id

)

select * from renamed
