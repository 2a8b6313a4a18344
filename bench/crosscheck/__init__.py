"""Cross-check benchmark (issue 4): a million-row enrolment batch from HTTP upload to committed discrepancies."""
