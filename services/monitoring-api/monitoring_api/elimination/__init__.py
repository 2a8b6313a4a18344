"""Risk elimination (风险消除): preconditions, the verification → notice → district approval steps."""
