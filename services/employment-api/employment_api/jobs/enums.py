"""Kinds of supported jobs (Chinese terms of the work plan)."""

from enum import StrEnum


class PositionKind(StrEnum):
    public_welfare = "公益性岗位"
    workshop = "帮扶车间"
