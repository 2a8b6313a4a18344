"""Deadline reminders: ask each service what is due, pick what to remind, one message per recipient per run."""
