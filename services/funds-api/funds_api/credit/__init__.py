"""Microcredit 小额信贷: loans to lifted households and monitoring subjects, their schedules, repayments and 贴息."""
