"""What the worker exchanges with the province through monitoring-api: records to push, updates to apply."""
