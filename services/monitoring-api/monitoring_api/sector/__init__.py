"""Sector departments: batches of data pushed by API, staged with COPY and cross-checked against the registry."""
