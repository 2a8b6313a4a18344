"""Intake of department batches: opening, parts received and parsed, rows checked and staged, closing."""
