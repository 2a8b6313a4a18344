"""Errors of pairings and visits; each refusal names its rule."""

from typing import Any

from dixian_shared.errors import Conflict


class PairingActive(Conflict):
    slug = "pairing-active"
    template = "household {household_id} is already paired (pairing {pairing_id} since {since}); end it first"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="one-active-pairing", **kwargs)


class PairingEnded(Conflict):
    slug = "pairing-ended"
    template = "pairing {pairing_id} already ended on {until}"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="pairing-ended", **kwargs)
