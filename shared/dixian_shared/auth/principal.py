"""Who is calling: a person with a role and a region, or a department system with an API key scoped to data types."""

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, bindparam

from dixian_shared import regioncode
from dixian_shared.errors import register_value_labels


class Role(StrEnum):
    district = "district"
    department = "department"
    town = "town"
    village = "village"
    cadre = "cadre"
    province = "province"
    service = "service"  # another Dixian process (the worker, a sibling service): an API key with named scopes


ROLE_NAMES_ZH: dict[str, str] = {
    Role.district: "区级用户",
    Role.department: "行业部门",
    Role.town: "乡镇用户",
    Role.village: "村级用户",
    Role.cadre: "帮扶干部",
    Role.province: "省级系统",
    Role.service: "系统服务",
}
"""How a problem names a role to a Chinese reader."""

register_value_labels({str(role): name for role, name in ROLE_NAMES_ZH.items()})


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    region_code: str
    name: str = ""
    kind: str = "user"
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def region_prefix(self) -> str:
        return regioncode.prefix(self.region_code)

    def can_access(self, code: str) -> bool:
        return regioncode.contains(self.region_code, code)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


PERSON_PREFIX = "user:"


def person_subject(value: str) -> str:
    """A person as the API shows them everywhere (audit actor, recorded_by, the pairing's cadre): `user:<id>`, the
    subject of their token. A bare id is taken to be a person's, so `4` and `user:4` are the same person."""
    return value if value.startswith(PERSON_PREFIX) else PERSON_PREFIX + value


def in_scope(column: SQLColumnExpression[str], principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause that keeps a query inside the caller's region; applied in repository queries."""
    return under_region(column, principal.region_prefix)


def under_region(column: SQLColumnExpression[str], prefix: str) -> ColumnElement[bool]:
    """Codes that start with the prefix, as a range so that a plain b-tree index serves it."""
    low, high = region_bounds(prefix)
    if high is None:
        return column == low
    return and_(column >= low, column < high)


def region_bounds(prefix: str) -> tuple[str, str | None]:
    """The codes under a prefix: a village's own code (no upper bound), else [prefix, next prefix)."""
    if len(prefix) == 12:
        return prefix, None
    return prefix, str(int(prefix) + 1).zfill(len(prefix))


def under_region_bound(column: SQLColumnExpression[str], name: str, village: bool) -> ColumnElement[bool]:
    """under_region with the bounds as bind parameters `{name}_low` and `{name}_high` (region_parameters gives their
    values), for a statement compiled once and run for any region: `village` is its shape (equality or range)."""
    if village:
        return column == bindparam(f"{name}_low")
    return and_(column >= bindparam(f"{name}_low"), column < bindparam(f"{name}_high"))


def region_parameters(name: str, prefix: str) -> dict[str, str]:
    """The values of under_region_bound's parameters for a region prefix."""
    low, high = region_bounds(prefix)
    return {f"{name}_low": low} if high is None else {f"{name}_low": low, f"{name}_high": high}
