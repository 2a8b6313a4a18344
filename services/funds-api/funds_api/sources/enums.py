"""Levels of connection funds (衔接资金)."""

from enum import StrEnum


class FundLevel(StrEnum):
    central = "中央"
    province = "省"
    city = "市"
    district = "区"
