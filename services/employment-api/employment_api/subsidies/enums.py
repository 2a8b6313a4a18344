"""Kinds of employment subsidy (Chinese terms); their periods are configuration (rules.subsidy_periods)."""

from enum import StrEnum


class SubsidyKind(StrEnum):
    transport = "交通补贴"
    public_welfare_job = "公益性岗位补贴"
    start_up = "一次性创业补贴"


ONCE = "一次性"  # the period of a subsidy granted once per person
