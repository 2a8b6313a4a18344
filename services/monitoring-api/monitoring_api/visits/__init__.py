"""Paired cadres (结对帮扶) and their home visits (入户走访), with the overdue-visit list."""
