"""Monthly screening and assessment (每月研判): one assessment per household and month, town review, what is overdue."""
