-- Every ledger account of every entity mapped to its standard chart (RGS for NL, PCMN for BE): an override from the control plane (the entity's, else its organisation's), else the provider's own code, else the rules' proposal; unmapped accounts have standard_code null.

with proposals as (

    select * from {{ ref('int_account_mapping_proposals') }}

),

overrides as (

    select * from {{ ref('stg_monitr__account_mapping_overrides') }}

),

rgs as (

    select * from {{ ref('rgs_reference') }}

),

pcmn as (

    select * from {{ ref('pcmn_reference') }}

),

standard_codes as (

    select 'RGS' as standard_chart, standard_code, name_nl, name_en, report_section from rgs
    union all
    select 'PCMN', standard_code, name_nl, name_en, report_section from pcmn

),

-- An override applies to its entity, or (no entity) to every entity of its organisation; the
-- entity's wins. An override whose code is in neither chart is not applied.
applicable_overrides as (

    select
        proposals.provider,
        proposals.entity_id,
        proposals.account_code,
        standard_codes.standard_chart,
        overrides.standard_code,
        case when overrides.entity_id is null then 'override_organisation' else 'override_entity' end
            as mapping_rule,
        row_number() over (
            partition by proposals.provider, proposals.entity_id, proposals.account_code
            order by case when overrides.entity_id is null then 2 else 1 end
        ) as override_rank

    from proposals
    inner join overrides
        on proposals.organisation_id = overrides.organisation_id
        and proposals.account_code = overrides.account_code
        and (overrides.entity_id is null or overrides.entity_id = proposals.entity_id)
    inner join standard_codes on overrides.standard_code = standard_codes.standard_code

),

mappings as (

    select
        proposals.provider,
        proposals.organisation_id,
        proposals.entity_id,
        proposals.account_code,
        proposals.account_name,
        proposals.country,
        coalesce(chosen_override.standard_chart, proposals.standard_chart) as standard_chart,
        coalesce(chosen_override.standard_code, proposals.standard_code) as standard_code,
        case when chosen_override.standard_code is not null then 'override'
             else proposals.mapping_source end as mapping_source,
        coalesce(chosen_override.mapping_rule, proposals.mapping_rule) as mapping_rule,
        case when chosen_override.standard_code is not null then 1
             else proposals.confidence end as confidence

    from proposals
    left join applicable_overrides as chosen_override
        on proposals.provider = chosen_override.provider
        and proposals.entity_id = chosen_override.entity_id
        and proposals.account_code = chosen_override.account_code
        and chosen_override.override_rank = 1

),

final as (

    select
        {{ surrogate_key(['mappings.provider', 'mappings.entity_id', 'mappings.account_code']) }}
            as account_mapping_key,
        mappings.provider,
        mappings.organisation_id,
        mappings.entity_id,
        mappings.account_code,
        mappings.account_name,
        mappings.country,
        mappings.standard_chart,
        mappings.standard_code,
        coalesce(standard_codes.name_en, standard_codes.name_nl) as standard_name,
        standard_codes.report_section,
        mappings.mapping_source,
        mappings.mapping_rule,
        cast(mappings.confidence as decimal(4, 3)) as confidence,
        mappings.standard_code is not null as is_mapped

    from mappings
    left join standard_codes
        on mappings.standard_chart = standard_codes.standard_chart
        and mappings.standard_code = standard_codes.standard_code

)

select * from final
