"""Provider specs and quirks: what each API is (paths, fields, auth, paging). No Dagster here."""
