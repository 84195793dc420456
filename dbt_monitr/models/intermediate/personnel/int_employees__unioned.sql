-- Employees of every payroll provider: the employee key (salted hash; no names or employee numbers) and the provider's employee id, which never leaves the intermediate layer.

{{ union_providers([
    'stg_nmbrs__employees',
]) }}
