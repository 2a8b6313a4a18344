"""The ledger as a spreadsheet: a village's month to download and fill, uploaded back whole or not at all."""
