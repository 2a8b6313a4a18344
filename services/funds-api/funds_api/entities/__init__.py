"""Business entities (经营主体), industrial bases (产业基地) and their links with farmers (联农带农)."""
