"""The public notice of a case (公示), as JSON or CSV with Chinese headings; it carries no private data by design:
names masked, no ID number, phone or bank account, and no health (因病/因残 are left out of the risk types)."""

import csv
import io

from monitoring_api.inclusion.schemas import NoticeMember, PublicNotice
from monitoring_api.inclusion.service import NoticeData
from monitoring_api.privacy import mask_name, public_risk_causes

# Only these columns exist: ID numbers, phones, bank accounts and health are never read into the notice.
CSV_HEADINGS = {
    "case_id": "案件编号",
    "village_name": "村(居)",
    "head_name": "户主姓名",
    "household_size": "家庭人口",
    "members": "家庭成员",
    "subject_kind": "监测对象类别",
    "decision": "评议结果",
    "risk_causes": "风险类型",
    "channel": "识别渠道",
    "notice_start": "公示开始日期",
    "notice_end": "公示结束日期",
}


def public_notice(data: NoticeData) -> PublicNotice:
    step = data.notice
    assert step.notice_start is not None and step.notice_end is not None  # a notice step always has its dates
    return PublicNotice(
        case_id=data.case.id,
        village_code=data.case.region_code,
        village_name=data.village_name,
        head_name=mask_name(data.household.head_name),
        household_size=len(data.members),
        members=[NoticeMember(name=mask_name(m.name), relation=m.relation.value) for m in data.members],
        subject_kind=data.case.subject_kind,
        decision=f"拟纳入监测对象({data.case.subject_kind.value})" if data.case.subject_kind else "拟纳入监测对象",
        risk_causes=public_risk_causes(list(data.case.risk_causes)),
        channel=data.case.channel,
        notice_start=step.notice_start,
        notice_end=step.notice_end,
    )


def notice_csv(notice: PublicNotice) -> str:
    values = {
        "case_id": notice.case_id,
        "village_name": notice.village_name or notice.village_code,
        "head_name": notice.head_name,
        "household_size": notice.household_size,
        "members": "、".join(f"{m.name}({m.relation})" for m in notice.members),
        "subject_kind": notice.subject_kind.value if notice.subject_kind else "",
        "decision": notice.decision,
        "risk_causes": "、".join(notice.risk_causes),
        "channel": notice.channel.value,
        "notice_start": notice.notice_start.isoformat(),
        "notice_end": notice.notice_end.isoformat(),
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADINGS.values())
    writer.writerow(values[key] for key in CSV_HEADINGS)
    # A byte-order mark, so that Excel opens the Chinese text as UTF-8.
    return "\ufeff" + out.getvalue()
