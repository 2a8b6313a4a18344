"""The identity store (schema `identity`): people who sign in and department systems with API keys."""
