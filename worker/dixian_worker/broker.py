"""The worker's broker is the shared one: every actor, the worker's and the services', is declared on it."""

from dixian_shared.broker import broker

__all__ = ["broker"]
