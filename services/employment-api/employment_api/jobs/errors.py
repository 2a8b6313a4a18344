"""Refusals of positions and occupancies; each names the rule it enforces."""

from employment_api.problems import NamedRule


class OutsidePosition(NamedRule):
    slug = "occupancy-within-position"
    template = "the position is open from {opened_on} to {closed_on}; an occupancy from {start_on} to {end_on} is not"
    title_zh = "在岗期间超出岗位设置期间"
    template_zh = "岗位设置期间为 {opened_on} 至 {closed_on}，在岗期间 {start_on} 至 {end_on} 超出该范围"


class PositionClosesTooEarly(NamedRule):
    slug = "occupancy-within-position"
    template = "occupancy {occupancy_id} ({start_on} to {end_on}) would fall outside the position's period ({period})"
    title_zh = "在岗期间超出岗位设置期间"
    template_zh = "在岗记录 {occupancy_id}（{start_on} 至 {end_on}）将超出岗位设置期间（{period}）"


class TwoPublicWelfarePositions(NamedRule):
    slug = "one-public-welfare-position-at-a-time"
    template = "labourer {labourer_id} already holds a public-welfare position in that period ({held})"
    title_zh = "同一时期不得重复安置公益性岗位"
    template_zh = "劳动力 {labourer_id} 在该期间已在公益性岗位上岗（{held}），同一人同一时期只能安置一个公益性岗位"


class SamePositionTwice(NamedRule):
    slug = "one-occupancy-per-position-and-day"
    template = "labourer {labourer_id} already holds position {position_id} in that period ({held})"
    title_zh = "同一岗位在岗期间重叠"
    template_zh = "劳动力 {labourer_id} 在该期间已在岗位 {position_id} 上岗（{held}）"
