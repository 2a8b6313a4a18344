"""Identity and access: principals, tokens, API keys and region scoping."""
