"""Identification and inclusion (识别纳入): a case from the first clue, step by step, to the district's decision."""
