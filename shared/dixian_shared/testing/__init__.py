"""Test support shared by every package's tests (loaded as the `dixian` pytest plugin)."""
