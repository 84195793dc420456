-- Deal pipeline stages of every CRM provider: probability (0-1), closed and won flags, pipeline name.

{{ union_providers([
    'stg_hubspot__deal_stages',
    'stg_teamleader__deal_stages',
]) }}
