"""The registry as other Dixian services read it with a service key (scope registry.read)."""
