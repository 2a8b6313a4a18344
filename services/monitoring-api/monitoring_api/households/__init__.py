"""Households and their members: the registry every other monitoring record hangs on."""
