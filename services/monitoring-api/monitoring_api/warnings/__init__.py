"""The three-line warning (三线预警) and the eight key groups (八类重点人群) it feeds."""
