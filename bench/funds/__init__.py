"""Funds benchmark: disbursement rollups and reports over 20,000 projects and 200,000 payments."""
