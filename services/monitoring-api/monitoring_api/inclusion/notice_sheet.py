"""The public notice (公示) as a printable workbook in the layout a village posts: a title, the notice period, one
row per household, then where to object and the village committee's signature line.

It is filled only from PublicNotice (export.public_notice), which never holds an ID number, phone, bank account
or health status, and whose names are already masked; so the printed sheet cannot show them either.
"""

from collections.abc import Sequence
from datetime import date
from typing import IO

from dixian_shared import xlsx
from monitoring_api.inclusion.schemas import PublicNotice

HEADINGS = ("序号", "户主姓名", "家庭人口", "家庭成员", "监测对象类别", "风险类型", "识别渠道", "评议结果")


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def write(target: IO[bytes], notices: Sequence[PublicNotice], village: str, today: date) -> None:
    start = min(n.notice_start for n in notices)
    end = max(n.notice_end for n in notices)
    writer = xlsx.XlsxWriter(target)
    sheet = writer.add_sheet(
        "公示",
        HEADINGS,
        title=f"{village}防返贫监测对象识别纳入公示",
        notes=[
            f"经农户申请（或干部排查、部门预警）、入户核实和村民主评议，以下农户拟纳入防返贫监测对象，现予公示。"
            f"公示期：{_day(start)}至{_day(end)}。"
        ],
        landscape=True,
        autofilter=False,
    )
    for number, notice in enumerate(notices, start=1):
        sheet.append(
            [
                number,
                notice.head_name,
                notice.household_size,
                "、".join(f"{m.name}（{m.relation}）" for m in notice.members),
                notice.subject_kind.value if notice.subject_kind else "",
                "、".join(notice.risk_causes),
                notice.channel.value,
                notice.decision,
            ],
            xlsx.STYLE_WRAP,
        )
    sheet.footer(
        [
            "",
            "公示期间，如对公示对象有异议，请以书面或口头形式向村民委员会或乡镇人民政府反映。",
            "本公示不含身份证号、联系电话、银行账号和健康状况等个人信息。",
            "",
            f"{village}村民委员会（盖章）",
            _day(today),
        ]
    )
    writer.close()
