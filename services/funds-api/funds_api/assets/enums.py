"""Vocabulary of project assets (Chinese terms of the national asset-management rules)."""

from enum import StrEnum

from dixian_shared.auth.principal import Role


class AssetCategory(StrEnum):
    public_welfare = "公益性"
    operating = "经营性"
    household = "到户类"


class OwnerType(StrEnum):
    state = "国有"
    collective = "集体"
    household = "农户"


class LedgerLevel(StrEnum):
    """Who keeps the asset on their ledger."""

    district = "区级"
    department = "部门"
    town = "乡镇"
    village = "村级"


class AssetKind(StrEnum):
    pv_station = "光伏电站"
    building = "厂房仓储"
    road_water = "道路水利"
    equipment = "设施设备"
    livestock_crops = "种养殖"
    other = "其他"


class UpkeepLevel(StrEnum):
    """村级管护 monthly, 乡镇巡查 quarterly, 区级督导 half-yearly (§11; cadences in AssetRules)."""

    village = "村级管护"
    town = "乡镇巡查"
    district = "区级督导"


# Each kind of upkeep record is made by staff of its own level.
UPKEEP_ROLE: dict[UpkeepLevel, Role] = {
    UpkeepLevel.village: Role.village,
    UpkeepLevel.town: Role.town,
    UpkeepLevel.district: Role.district,
}


class Condition(StrEnum):
    idle = "闲置"
    damaged = "损坏"
    inefficient = "低效"


class Handling(StrEnum):
    """四个一批."""

    consolidate = "巩固一批"
    upgrade = "升级一批"
    revitalise = "盘活一批"
    adjust = "调整一批"


class SurveyState(StrEnum):
    open = "待处置"
    handling = "处置中"
    done = "已处置"


class BeneficiaryGroup(StrEnum):
    special = "特殊群体"  # monitoring subjects, households short of labour, the disabled, 低保/特困
    lifted = "脱贫户"
    collective = "村集体"
    public_welfare = "公益事业"
    other = "其他"
