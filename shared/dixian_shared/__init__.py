"""Dixian common package: what every service, the worker and the tests share."""
