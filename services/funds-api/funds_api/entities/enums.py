"""Vocabulary of business entities and their links with farmers."""

from enum import StrEnum


class EntityKind(StrEnum):
    leading_enterprise = "龙头企业"
    cooperative = "农民合作社"
    family_farm = "家庭农场"
    workshop = "帮扶车间"
    other = "其他经营主体"


class LinkKind(StrEnum):
    """联农带农: how an entity brings farmers along."""

    jobs = "务工就业"
    land_rent = "土地流转"
    sales = "产品收购"
    shares = "入股"
    dividends = "分红"
