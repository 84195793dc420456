"""Control plane: organisations, integrations, entities, their connections and import runs."""
