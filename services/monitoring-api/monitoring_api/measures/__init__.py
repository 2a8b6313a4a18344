"""Assistance measures (帮扶措施), the development-measure check and look-backs (回头看)."""
