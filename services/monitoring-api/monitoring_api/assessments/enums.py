"""The vocabulary of monthly assessment (values are the Chinese terms of DOMAIN.md)."""

from enum import StrEnum


class Outcome(StrEnum):
    include = "纳入监测"
    watch = "持续关注"
    not_now = "暂不纳入"
    no_risk = "无风险"


class OverdueKind(StrEnum):
    watch_not_reassessed = "持续关注未按月研判"
    not_now_unreviewed = "暂不纳入未经乡镇审核"


# A town that disagrees with 暂不纳入 turns the decision into one of these (see service.review_assessment).
REVIEW_OUTCOMES = frozenset({Outcome.include, Outcome.watch})
