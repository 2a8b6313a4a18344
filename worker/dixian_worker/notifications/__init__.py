"""Messages to people: the in-app inbox and the outgoing webhook of an SMS or messaging gateway."""
