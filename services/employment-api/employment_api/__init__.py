"""employment-api: Labour roster, monthly employment ledger, 131 service, training and subsidies."""
