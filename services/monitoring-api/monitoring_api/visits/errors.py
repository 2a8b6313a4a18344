"""Errors of pairings and visits; each refusal names its rule."""

from typing import Any

from dixian_shared.errors import Conflict


class PairingActive(Conflict):
    slug = "pairing-active"
    title_zh = "已有结对干部"
    template_zh = "农户 {household_id} 已结对（结对 {pairing_id}，自 {since} 起），请先结束原结对"
    template = "household {household_id} is already paired (pairing {pairing_id} since {since}); end it first"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="one-active-pairing", **kwargs)


class PairingEnded(Conflict):
    slug = "pairing-ended"
    title_zh = "结对已结束"
    template_zh = "结对 {pairing_id} 已于 {until} 结束"
    template = "pairing {pairing_id} already ended on {until}"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="pairing-ended", **kwargs)
