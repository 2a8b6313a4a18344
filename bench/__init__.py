"""Benchmarks and their deterministic data generator (not part of any service)."""
