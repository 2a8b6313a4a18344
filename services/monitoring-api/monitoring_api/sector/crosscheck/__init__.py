"""The cross-check of a closed batch against the registry: rules, findings, the job, warnings, discrepancies.

It depends on the intake (field specs, staged rows); the intake never imports it.
"""
