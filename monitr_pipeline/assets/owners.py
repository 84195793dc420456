"""Who answers for the assets: shown as the owner of every raw table, dbt model and check."""

DATA_OWNER = "team:data-engineering"
