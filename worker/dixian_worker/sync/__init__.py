"""Two-way sync with the provincial system: the push ledger, the pull checkpoint, conflicts, dead letters."""
