"""Refusals of subsidy grants; each names the rule it enforces."""

from typing import Any

from dixian_shared.errors import Conflict
from employment_api.problems import NamedRule


class GrantedAlready(Conflict):
    slug = "subsidy-once-per-person-kind-period"
    template = "labourer {labourer_id} already has a {kind} grant for {period} ({subsidy_id})"
    title_zh = "同一人同一补贴同一期间不得重复发放"
    template_zh = "劳动力 {labourer_id} 的{kind}（{period}）已发放（{subsidy_id}），不得重复发放"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule=self.slug, **kwargs)


class PeriodFormat(NamedRule):
    slug = "subsidy-period"
    template = "a {kind} is granted per {unit}: the period is {example}, not {period}"
    title_zh = "补贴期间格式不符"
    template_zh = "{kind}按{unit}发放，期间应写作 {example}，而不是 {period}"


class NoPublicWelfarePosition(NamedRule):
    slug = "public-welfare-subsidy-needs-position"
    template = "labourer {labourer_id} held no public-welfare position in {period}"
    title_zh = "该期间未在公益性岗位上岗"
    template_zh = "劳动力 {labourer_id} 在 {period} 未在公益性岗位上岗，不能发放公益性岗位补贴"


class AlreadyRevoked(NamedRule):
    slug = "subsidy-revoked-once"
    template = "grant {subsidy_id} was revoked on {revoked_on}"
    title_zh = "补贴已撤销"
    template_zh = "补贴 {subsidy_id} 已于 {revoked_on} 撤销"
