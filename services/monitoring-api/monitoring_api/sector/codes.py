"""The code lists departments send values from (an unknown code refuses the row)."""

from monitoring_api.sector.enums import Grade

SCHOOL_STAGES = frozenset({"学前", "小学", "初中", "高中", "中职", "高职高专", "本科及以上", "特殊教育"})
AID_TYPES = frozenset(
    {
        "学前教育资助",
        "义务教育寄宿生生活补助",
        "义务教育营养改善计划",
        "普通高中国家助学金",
        "普通高中免学杂费",
        "中职国家助学金",
        "中职免学费",
        "雨露计划",
        "高校国家助学金",
        "生源地助学贷款",
        "其他",
    }
)
MEDICAL_SCHEMES = frozenset({"城乡居民基本医疗保险", "职工基本医疗保险"})
RENOVATION_KINDS = frozenset({"农村危房改造", "农房抗震改造", "其他"})
GRADES = frozenset(g.value for g in Grade)
