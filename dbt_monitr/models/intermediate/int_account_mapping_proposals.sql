-- Every ledger account of every entity (its chart's, and any code booked on without a chart row) with the standard-chart code its provider gives it or the rules propose: one row per provider x entity x account_code, standard_code null when nothing maps it. Overrides are applied on top in dim_account_mappings.
{%- set text = dbt.type_string() %}
{%- set confidence = 'decimal(4, 3)' %}
{#- Providers whose administrations are Dutch only and may not say so (their country is null). -#}
{%- set nl_only_providers = ['eboekhouden', 'moneybird', 'minox'] %}

with chart_accounts as (

    select
        provider,
        organisation_id,
        entity_id,
        account_code,
        account_name,
        statement,
        normal_balance,
        nullif(trim(rgs_code), '') as provider_rgs_code,
        -- A code twice in one chart (a blocked copy): the active account speaks for it.
        row_number() over (
            partition by provider, entity_id, account_code
            order by case when is_blocked then 1 else 0 end, source_id
        ) as duplicate_rank

    from {{ ref('int_accounts__unioned') }}
    where account_code is not null

),

booked_accounts as (

    select
        provider,
        max(organisation_id) as organisation_id,
        entity_id,
        account_code,
        max(account_name) as account_name

    from {{ ref('int_gl_lines__unioned') }}
    where account_code is not null
    group by provider, entity_id, account_code

),

administrations as (

    select provider, entity_id, max(upper(country)) as country
    from {{ ref('int_administrations__unioned') }}
    group by provider, entity_id

),

rgs as (

    select * from {{ ref('rgs_reference') }}

),

pcmn as (

    select * from {{ ref('pcmn_reference') }}

),

keyword_rules as (

    select * from {{ ref('rgs_name_keyword_rules') }}

),

accounts as (

    select
        provider, organisation_id, entity_id, account_code, account_name, statement, normal_balance,
        provider_rgs_code
    from chart_accounts
    where duplicate_rank = 1

    union all

    select
        booked.provider, booked.organisation_id, booked.entity_id, booked.account_code,
        booked.account_name, cast(null as {{ text }}), cast(null as {{ text }}), cast(null as {{ text }})
    from booked_accounts as booked
    where not exists (
        select 1 from chart_accounts
        where chart_accounts.provider = booked.provider
            and chart_accounts.entity_id = booked.entity_id
            and chart_accounts.account_code = booked.account_code
    )

),

-- An entity whose administration names no country (a CSV upload) is Dutch or Belgian by the shape
-- of its chart: Dutch charts book costs in 4xxx and revenue in 8xxx, Belgian ones (PCMN) costs in
-- class 6 and revenue in class 7 only. A chart that shows neither stays without a country.
chart_countries as (

    select
        provider,
        entity_id,
        case
            when count(case when left(account_code, 1) in ('4', '8') then 1 end) > 0 then 'NL'
            when count(case when left(account_code, 1) = '6' then 1 end) > 0
                and count(case when left(account_code, 1) not in ('6', '7') then 1 end) = 0
                then 'BE'
        end as country

    from accounts
    where statement = 'profit_and_loss'
        and account_code <> '' and ltrim(account_code, '0123456789') = ''
    group by provider, entity_id

),

accounts_in_country as (

    select
        accounts.*,
        coalesce(
            administrations.country,
            case when accounts.provider in ('{{ nl_only_providers | join("', '") }}') then 'NL' end,
            chart_countries.country
        ) as country,
        -- The name as words: lower case, punctuation as spaces (commas dropped), padded, so a
        -- keyword matches at the start of a word: '% debiteuren%'.
        ' ' || replace(replace(replace(replace(replace(replace(replace(
            lower(coalesce(accounts.account_name, '')),
            ',', ''), '(', ' '), ')', ' '), '/', ' '), '-', ' '), '.', ' '), ':', ' ') || ' '
            as name_words,
        accounts.account_code <> '' and ltrim(accounts.account_code, '0123456789') = ''
            as is_numeric_code

    from accounts
    left join administrations
        on accounts.provider = administrations.provider
        and accounts.entity_id = administrations.entity_id
    left join chart_countries
        on accounts.provider = chart_countries.provider
        and accounts.entity_id = chart_countries.entity_id

),

-- Rule "provider": the RGS code the provider stores on the account (Moneybird's taxonomy item,
-- a CSV import's rgs_code column), when rgs_reference has it; a level-5 code (3 letters more than
-- its level-4 parent, e.g. BSchBepBtwVoo under BSchBepBtw) by its level-4 parent, as rgs_reference
-- stops at level 4.
provider_codes as (

    select
        accounts.provider, accounts.entity_id, accounts.account_code,
        'RGS' as standard_chart,
        rgs.standard_code,
        'provider' as mapping_source,
        case when rgs.standard_code = accounts.provider_rgs_code then 'provider_rgs_code'
             else 'provider_rgs_code (level 4 of ' || accounts.provider_rgs_code || ')'
        end as mapping_rule,
        cast(1 as {{ confidence }}) as confidence,
        1 as rule_priority

    from accounts_in_country as accounts
    inner join rgs
        on accounts.provider_rgs_code = rgs.standard_code
        or (length(accounts.provider_rgs_code) = 13
            and left(accounts.provider_rgs_code, 10) = rgs.standard_code)

),

-- Rule "name keyword" (NL): a keyword at the start of a word of the account's name, on the
-- statement the account is on; the longest keyword wins. Less sure when the account's statement
-- is unknown or its normal balance is not the code's.
name_keyword_matches as (

    select
        accounts.provider, accounts.entity_id, accounts.account_code,
        keyword_rules.keyword,
        keyword_rules.standard_code,
        keyword_rules.confidence
            * case when accounts.statement is null then 0.75 else 1 end
            * case when accounts.normal_balance is not null and rgs.normal_balance is not null
                        and accounts.normal_balance <> rgs.normal_balance then 0.8 else 1 end
            as confidence,
        row_number() over (
            partition by accounts.provider, accounts.entity_id, accounts.account_code
            order by length(keyword_rules.keyword) desc, keyword_rules.confidence desc,
                     keyword_rules.standard_code
        ) as match_rank

    from accounts_in_country as accounts
    inner join keyword_rules
        on accounts.name_words like ('% ' || keyword_rules.keyword || '%')
        and (accounts.statement is null or accounts.statement = keyword_rules.statement)
    inner join rgs on keyword_rules.standard_code = rgs.standard_code
    where accounts.country = 'NL'

),

name_keywords as (

    select
        provider, entity_id, account_code,
        'RGS' as standard_chart,
        standard_code,
        'proposal' as mapping_source,
        'rgs_name_keyword (' || keyword || ')' as mapping_rule,
        cast(confidence as {{ confidence }}) as confidence,
        2 as rule_priority

    from name_keyword_matches
    where match_rank = 1

),

-- The Dutch decimal account numbering: the first digit says where an account belongs (its side
-- where the digit covers both sides of the balance sheet). Low confidence: numbering is a habit.
number_ranges as (

    select '0' as first_digit, 'balance_sheet' as statement, 'debit' as normal_balance, 'BMva' as standard_code, 0.3 as confidence
    union all select '0', 'balance_sheet', 'credit', 'BEiv', 0.2
    union all select '1', 'balance_sheet', 'debit', 'BVor', 0.3
    union all select '1', 'balance_sheet', 'credit', 'BSch', 0.3
    union all select '2', 'balance_sheet', 'debit', 'BVorTus', 0.25
    union all select '2', 'balance_sheet', 'credit', 'BSchTus', 0.25
    union all select '3', 'balance_sheet', null, 'BVrd', 0.35
    union all select '4', 'profit_and_loss', null, 'WBed', 0.35
    union all select '7', 'profit_and_loss', null, 'WKpr', 0.35
    union all select '8', 'profit_and_loss', null, 'WOmz', 0.35
    union all select '9', 'profit_and_loss', 'debit', 'WFbeRls', 0.25
    union all select '9', 'profit_and_loss', 'credit', 'WFbeRlm', 0.25

),

number_range_matches as (

    select
        accounts.provider, accounts.entity_id, accounts.account_code,
        'RGS' as standard_chart,
        number_ranges.standard_code,
        'proposal' as mapping_source,
        'rgs_number_range (' || number_ranges.first_digit || ')' as mapping_rule,
        cast(number_ranges.confidence as {{ confidence }}) as confidence,
        3 as rule_priority

    from accounts_in_country as accounts
    inner join number_ranges
        on left(accounts.account_code, 1) = number_ranges.first_digit
        and (accounts.statement is null or accounts.statement = number_ranges.statement)
        and (number_ranges.normal_balance is null
             or accounts.normal_balance = number_ranges.normal_balance)
    inner join rgs on number_ranges.standard_code = rgs.standard_code
    where accounts.country = 'NL'
        and accounts.is_numeric_code
        and length(accounts.account_code) >= 3

),

-- Rule "PCMN prefix" (BE): the longest PCMN code the account number starts with (subgroup, then
-- group, then class); the shorter, the less sure.
pcmn_prefix_matches as (

    select
        accounts.provider, accounts.entity_id, accounts.account_code,
        pcmn.standard_code,
        pcmn.level,
        row_number() over (
            partition by accounts.provider, accounts.entity_id, accounts.account_code
            order by length(pcmn.standard_code) desc
        ) as match_rank

    from accounts_in_country as accounts
    inner join pcmn on accounts.account_code like (pcmn.standard_code || '%')
    where accounts.country = 'BE'
        and accounts.is_numeric_code

),

pcmn_prefixes as (

    select
        provider, entity_id, account_code,
        'PCMN' as standard_chart,
        standard_code,
        'proposal' as mapping_source,
        case level
            when 3 then 'pcmn_prefix_3'
            when 2 then 'pcmn_prefix_2'
            else 'pcmn_class'
        end || ' (' || standard_code || ')' as mapping_rule,
        cast(case level when 3 then 0.9 when 2 then 0.75 else 0.5 end as {{ confidence }}) as confidence,
        2 as rule_priority

    from pcmn_prefix_matches
    where match_rank = 1

),

candidates as (

    select * from provider_codes
    union all
    select * from name_keywords
    union all
    select * from number_range_matches
    union all
    select * from pcmn_prefixes

),

best_candidates as (

    select
        candidates.*,
        row_number() over (
            partition by provider, entity_id, account_code
            order by rule_priority, confidence desc, standard_code
        ) as candidate_rank

    from candidates

),

final as (

    select
        accounts.provider,
        accounts.organisation_id,
        accounts.entity_id,
        accounts.account_code,
        accounts.account_name,
        accounts.statement,
        accounts.normal_balance,
        accounts.country,
        accounts.provider_rgs_code,
        cast(coalesce(
            best.standard_chart,
            case accounts.country when 'NL' then 'RGS' when 'BE' then 'PCMN' end
        ) as {{ text }}) as standard_chart,
        cast(best.standard_code as {{ text }}) as standard_code,
        cast(best.mapping_source as {{ text }}) as mapping_source,
        -- A provider code RGS does not have is said, whatever maps the account instead.
        cast(case
            when accounts.provider_rgs_code is not null and provider_match.standard_code is null
                then coalesce(best.mapping_rule || '; ', '')
                     || 'provider code ' || accounts.provider_rgs_code || ' not in rgs_reference'
            else best.mapping_rule
        end as {{ text }}) as mapping_rule,
        best.confidence

    from accounts_in_country as accounts
    left join best_candidates as best
        on accounts.provider = best.provider
        and accounts.entity_id = best.entity_id
        and accounts.account_code = best.account_code
        and best.candidate_rank = 1
    left join provider_codes as provider_match
        on accounts.provider = provider_match.provider
        and accounts.entity_id = provider_match.entity_id
        and accounts.account_code = provider_match.account_code

)

select * from final
