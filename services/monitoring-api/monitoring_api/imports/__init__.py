"""Bulk loads into the registry: the national system's household export, streamed, staged and merged set-based."""
