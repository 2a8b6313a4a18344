"""Refusals of job-seeker registrations and 131 services; each names the rule it enforces."""

from typing import Any

from dixian_shared.errors import Conflict
from employment_api.problems import NamedRule


class AlreadySeeking(Conflict):
    slug = "one-open-job-seeker-registration"
    template = "labourer {labourer_id} already has an open job-seeker registration ({seeker_id})"
    title_zh = "已有未结束的求职登记"
    template_zh = "劳动力 {labourer_id} 已有未结束的求职登记（{seeker_id}）"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule=self.slug, **kwargs)


class SeekerClosed(NamedRule):
    slug = "job-seeker-open"
    template = "job-seeker registration {seeker_id} was closed on {closed_on}; it takes no more services"
    title_zh = "求职登记已结束"
    template_zh = "求职登记 {seeker_id} 已于 {closed_on} 结束，不能再登记服务"


class BeforeRegistration(NamedRule):
    slug = "service-after-registration"
    template = "{field} {value} is before the job seeker registered ({registered_on})"
    title_zh = "日期早于求职登记日期"
    template_zh = "{field} {value} 早于求职登记日期（{registered_on}）"
