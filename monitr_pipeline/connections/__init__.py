"""The life of an integration: connect (per auth kind), discover and select, check health,
reconnect and delete."""
