"""The deterministic generator of a realistic district: households, members and yearly incomes, loaded by COPY."""
