"""The national system's vocabulary for households and members (values are the Chinese terms)."""

from enum import StrEnum


class Category(StrEnum):
    ordinary = "一般农户"
    lifted = "脱贫户"
    unstable = "脱贫不稳定户"
    borderline = "边缘易致贫户"
    sudden_hardship = "突发严重困难户"

    @property
    def is_monitoring_subject(self) -> bool:
        return self in MONITORING_SUBJECTS


MONITORING_SUBJECTS = frozenset({Category.unstable, Category.borderline, Category.sudden_hardship})
# Households paired cadres visit (§17): the monitoring subjects monthly, other 脱贫户 every two months.
VISITED = frozenset({*MONITORING_SUBJECTS, Category.lifted})

# 致贫返贫风险: what a household records, from every path (the API, an import, the province's identification).
RISK_CAUSES = (
    "因病",
    "因学",
    "因残",
    "因自然灾害",
    "因意外事故",
    "因产业项目失败",
    "因务工就业不稳",
    "缺劳动力",
    "因安全住房",
    "因安全饮水",
    "其他",
)
MAX_RISK_CAUSES = 5  # up to five per household (DOMAIN.md)


class HouseholdStatus(StrEnum):
    active = "正常"
    dissolved = "注销"


class Relation(StrEnum):
    head = "户主"
    spouse = "配偶"
    son = "之子"
    daughter = "之女"
    daughter_in_law = "之儿媳"
    son_in_law = "之女婿"
    grandson = "之孙子"
    granddaughter = "之孙女"
    father = "之父"
    mother = "之母"
    sibling = "之兄弟姐妹"
    other = "其他"


class LabourSkill(StrEnum):
    skilled = "技能劳动力"
    ordinary = "普通劳动力"
    weak = "弱劳动力或半劳动力"
    lost = "丧失劳动力"
    none = "无劳动力"

    @property
    def can_work(self) -> bool:
        return self in (LabourSkill.skilled, LabourSkill.ordinary, LabourSkill.weak)


class Health(StrEnum):
    healthy = "健康"
    chronic = "长期慢性病"
    serious = "患有大病"
    disabled = "残疾"


class SchoolStatus(StrEnum):
    not_student = "非在校生"
    preschool = "学龄前"
    primary = "小学"
    junior = "初中"
    senior = "高中"
    vocational = "中职"
    higher_vocational = "高职高专"
    undergraduate = "本科及以上"


class Education(StrEnum):
    illiterate = "文盲或半文盲"
    primary = "小学"
    junior = "初中"
    senior = "高中"
    technical = "中专"
    college = "大专及以上"


class MemberStatus(StrEnum):
    active = "正常"
    deceased = "死亡"
    departed = "迁出"
