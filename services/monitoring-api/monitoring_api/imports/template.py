"""The XLSX import template: the columns the import reads, drop-down lists for every coded column, a notes sheet.

The vocabularies come from the same enums the import checks against (imports/rows.py SPECS), so a value picked
from a list is always accepted. The lists live on a hidden sheet (代码表) because a data validation's inline list
is limited to 255 characters.
"""

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from monitoring_api.households.enums import Category, Education, Health, LabourSkill, Relation, SchoolStatus
from monitoring_api.imports.columns import COLUMNS, NO, YES

TEMPLATE_ROWS = 20_000  # how far down the drop-down lists reach
YES_NO = ("medical_insured", "pension_insured", "dibao", "tekun", "public_welfare_job")
CHOICES: dict[str, tuple[str, ...]] = {
    "category": tuple(c.value for c in Category),
    "relation": tuple(c.value for c in Relation),
    "labour_skill": tuple(c.value for c in LabourSkill),
    "health": tuple(c.value for c in Health),
    "school_status": tuple(c.value for c in SchoolStatus),
    "education": tuple(c.value for c in Education),
    **{name: (YES, NO) for name in YES_NO},
}
NOTES: dict[str, str] = {
    "household_number": "国家系统的户编号；同一户的每名成员填写同一户编号",
    "region_code": "农户所在村的 12 位统计用区划代码",
    "head_name": "户主姓名，同一户各行相同",
    "category": "户类型：一般农户、脱贫户，或三类监测对象之一",
    "name": "成员姓名",
    "id_number": "18 位居民身份证号（末位可为 X），出生日期和性别由号码得出",
    "relation": "与户主关系；每户只有一名户主",
    "labour_skill": "劳动技能",
    "health": "健康状况，不填视为健康",
    "school_status": "在校生状况，不填视为非在校生",
    "education": "文化程度，可不填",
    "medical_insured": "是否参加城乡居民基本医疗保险：是/否，不填视为否",
    "pension_insured": "是否参加城乡居民基本养老保险：是/否，不填视为否",
    "dibao": "是否享受低保：是/否，不填视为否",
    "tekun": "是否特困供养：是/否，不填视为否",
    "public_welfare_job": "是否在公益性岗位：是/否，不填视为否",
    "phone": "联系电话，5 至 20 位数字，可含空格、+、-",
    "address": "家庭住址，最多 200 字",
    "lifted_year": "脱贫年度，2013 至 2100 的四位年份，可不填",
    "included_on": "纳入监测时间（YYYY-MM-DD）：三类监测对象的户主行必填，六个月的各项规则从此日起算",
    "risk_causes": "风险类型（最多五项，以、分隔）：因病、因学、因残、因自然灾害、因意外事故、因产业项目失败、"
    "因务工就业不稳、缺劳动力、因安全住房、因安全饮水、其他",
}
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def build() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "农户成员"
    codes = book.create_sheet("代码表")
    notes = book.create_sheet("填写说明")
    code_column = 0
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
        cell.comment = Comment(NOTES[column.field], "底线系统")
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 2)
        # ID numbers, region codes and phones are text: Excel must not turn them into 3.60702E+17.
        if column.field in ("id_number", "region_code", "phone", "household_number"):
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = "@"
        values = CHOICES.get(column.field)
        if values is None:
            continue
        code_column += 1
        code_letter = get_column_letter(code_column)
        codes.cell(row=1, column=code_column, value=column.header).font = Font(bold=True)
        for offset, value in enumerate(values, start=2):
            codes.cell(row=offset, column=code_column, value=value)
        source = f"'代码表'!${code_letter}$2:${code_letter}${len(values) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
        validation.error = f"请从下拉列表中选择{column.header}"
        validation.errorTitle = "取值不在代码表中"
        validation.showErrorMessage = True
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)
    codes.sheet_state = "hidden"
    sheet.freeze_panes = "A2"
    notes.append(["列名", "是否必填", "说明", "可选值"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        notes.append(
            [
                column.header,
                "必填" if column.required else "选填",
                NOTES[column.field],
                "、".join(CHOICES.get(column.field, ())),
            ]
        )
    notes.append([])
    notes.append(["说明", "", "每行一名家庭成员；黄色表头为必填列；导入时只读取第一个工作表，其他列忽略。"])
    for letter, width in zip("ABCD", (30, 10, 60, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
