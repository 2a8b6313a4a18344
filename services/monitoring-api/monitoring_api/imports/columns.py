"""The columns of the national system's household export (one row per member), as the import reads them."""

from collections.abc import Sequence
from dataclasses import dataclass

from dixian_shared.errors import FieldError
from monitoring_api.imports.errors import BadHeader


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("户编号", "household_number", required=True),
    Column("行政区划代码", "region_code", required=True),
    Column("户主姓名", "head_name", required=True),
    Column("户类型", "category", required=True),
    Column("姓名", "name", required=True),
    Column("证件号码", "id_number", required=True),
    Column("与户主关系", "relation", required=True),
    Column("劳动技能", "labour_skill", required=True),
    Column("健康状况", "health"),
    Column("在校生状况", "school_status"),
    Column("文化程度", "education"),
    Column("是否参加城乡居民基本医疗保险", "medical_insured"),
    Column("是否参加城乡居民基本养老保险", "pension_insured"),
    Column("是否享受低保", "dibao"),
    Column("是否特困供养", "tekun"),
    Column("是否公益性岗位", "public_welfare_job"),
    Column("联系电话", "phone"),
    Column("家庭住址", "address"),
    Column("脱贫年度", "lifted_year"),
    # A monitoring subject carries when it was identified and why, so the rules counted from inclusion apply to it.
    Column("纳入监测时间", "included_on"),
    Column("风险类型", "risk_causes"),
)

HEADERS = tuple(column.header for column in COLUMNS)
BY_FIELD = {column.field: column for column in COLUMNS}
YES, NO = "是", "否"


def positions(header: Sequence[str]) -> dict[str, int]:
    """Where each known column is in the file (by its Chinese name); other columns are ignored, as the national
    export carries many more than the registry keeps."""
    found: dict[str, int] = {}
    repeated: list[str] = []
    for index, name in enumerate(header):
        name = name.strip()
        if name not in HEADERS:
            continue
        if name in found:
            repeated.append(name)
        found[name] = index
    missing = [column.header for column in COLUMNS if column.required and column.header not in found]
    if missing or repeated:
        problems = [FieldError(field="file.header", message=f"缺少列 {name}") for name in missing]
        problems += [FieldError(field="file.header", message=f"列 {name} 重复") for name in repeated]
        raise BadHeader(errors=problems, missing="、".join(missing), repeated="、".join(repeated))
    return found
