"""monitoring-api: the registry of rural households and the monitoring-and-assistance cycle."""
