"""The national system's measure vocabulary: categories, their sub-types, families and statuses (Chinese terms)."""

from enum import StrEnum


class MeasureCategory(StrEnum):
    industry = "产业帮扶"
    employment = "就业帮扶"
    finance = "金融帮扶"
    public_welfare_job = "公益岗位帮扶"
    health = "健康帮扶"
    compulsory_education = "义务教育保障"
    other_education = "其他教育帮扶"
    comprehensive_guarantee = "综合保障"
    housing = "住房安全保障"
    water = "饮水安全保障"
    social = "社会帮扶"
    relocation = "搬迁"
    living_conditions = "生产生活条件改善"
    infrastructure = "基础设施建设"

    @property
    def family(self) -> "MeasureFamily":
        return MeasureFamily.development if self in DEVELOPMENT else MeasureFamily.protective


class MeasureFamily(StrEnum):
    development = "开发式"
    protective = "保障性"


# DOMAIN.md: 开发式帮扶 are the four that build the household's own earning power; everything else is 保障性.
DEVELOPMENT = frozenset(
    {
        MeasureCategory.industry,
        MeasureCategory.employment,
        MeasureCategory.finance,
        MeasureCategory.public_welfare_job,
    }
)


class MeasureStatus(StrEnum):
    planned = "计划中"
    in_progress = "实施中"
    completed = "已完成"
    terminated = "已终止"


# Completed and terminated measures are history: they no longer change status.
STATUS_TRANSITIONS: dict[MeasureStatus, frozenset[MeasureStatus]] = {
    MeasureStatus.planned: frozenset({MeasureStatus.in_progress, MeasureStatus.completed, MeasureStatus.terminated}),
    MeasureStatus.in_progress: frozenset({MeasureStatus.completed, MeasureStatus.terminated}),
    MeasureStatus.completed: frozenset(),
    MeasureStatus.terminated: frozenset(),
}

# Sub-types sit under categories (临时救助, 防贫保险, 技能培训 …). A sub-type may belong to more than one category
# where the national system files it in either (技能培训 is employment or education support; 防贫保险 is bought as
# a financial product or paid as part of the safety net).
SUB_TYPES: dict[MeasureCategory, frozenset[str]] = {
    MeasureCategory.industry: frozenset(
        {"种植业", "养殖业", "林业", "加工业", "休闲农业与乡村旅游", "产业奖补", "其他产业帮扶"}
    ),
    MeasureCategory.employment: frozenset(
        {"技能培训", "务工就业", "帮扶车间就业", "交通补贴", "创业扶持", "其他就业帮扶"}
    ),
    MeasureCategory.finance: frozenset({"小额信贷", "防贫保险", "产业保险", "其他金融帮扶"}),
    MeasureCategory.public_welfare_job: frozenset({"乡村公益性岗位", "其他公益岗位"}),
    MeasureCategory.health: frozenset(
        {"资助参保", "大病保险", "医疗救助", "家庭医生签约", "慢病签约服务", "其他健康帮扶"}
    ),
    MeasureCategory.compulsory_education: frozenset({"控辍保学", "义务教育资助", "其他义务教育保障"}),
    MeasureCategory.other_education: frozenset(
        {"学前教育资助", "高中教育资助", "雨露计划", "技能培训", "助学贷款", "其他教育帮扶"}
    ),
    MeasureCategory.comprehensive_guarantee: frozenset(
        {"低保", "特困供养", "临时救助", "残疾人补贴", "养老保险代缴", "防贫保险", "其他综合保障"}
    ),
    MeasureCategory.housing: frozenset({"危房改造", "农房抗震改造", "其他住房安全保障"}),
    MeasureCategory.water: frozenset({"饮水工程", "水质提升", "其他饮水安全保障"}),
    MeasureCategory.social: frozenset({"东西部协作", "定点帮扶", "万企兴万村", "社会捐赠", "其他社会帮扶"}),
    MeasureCategory.relocation: frozenset({"易地扶贫搬迁", "同步搬迁", "避险搬迁", "其他搬迁"}),
    MeasureCategory.living_conditions: frozenset({"改厕", "改厨", "庭院整治", "其他生产生活条件改善"}),
    MeasureCategory.infrastructure: frozenset({"道路", "水利", "电力", "通信", "其他基础设施建设"}),
}


class FlagReason(StrEnum):
    """Why a labour-capable subject household is flagged; the values are the rule names."""

    no_development_measure = "development-measure-within-months"
    only_comprehensive_guarantee = "not-only-comprehensive-guarantee"
