"""What is due and overdue, per place, for the worker's reminders (GET /deadlines)."""
