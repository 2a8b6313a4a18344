"""Monthly scheduling report (月调度) and quarterly bulletin (季通报) of disbursement, as JSON and XLSX."""
