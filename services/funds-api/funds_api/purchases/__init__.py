"""Consumption assistance 消费帮扶: government units' purchases from lifted households and entities."""
