"""The Dramatiq worker and the scheduler: cross-service jobs, reminders and the provincial sync."""
