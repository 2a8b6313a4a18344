"""funds-api: Fund sources, project library, allocations, payments, assets, microcredit, consumption assistance."""
