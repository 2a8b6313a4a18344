"""The registry as sibling services read it (service keys with the registry.read scope)."""
