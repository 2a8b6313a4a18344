"""Yearly household income: the components of the national system and the per-capita net income."""
