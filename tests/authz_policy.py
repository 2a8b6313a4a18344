"""Who may call what: the declarative table the authorisation matrix checks every route of every service against.

One entry per route (`"METHOD /path"`): the roles allowed, and the kind of record the route reaches (a path id, or a
household / place named in the body or query), so the matrix knows which callers must get 404 for a foreign record.
A route missing here fails the matrix: a new endpoint is added to this table (and its record kind, if new, seeded in
authz_world.py) in the same change.

Roles: district, town, village, cadre, "department user" (people); department (a department system's API key,
scoped to data types); service (another Dixian process's key). Whether a caller of an allowed role reaches a given
record is not written here: it follows from the record's place, data type and pairing (`Caller.sees`), the same
rules for every route.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from authz_world import DATA_TYPE, Record, World

from dixian_shared import idnumber

Body = Callable[[Record, World], Any]

STAFF = frozenset({"district", "town", "village"})
VISITORS = STAFF | {"cadre"}
DISTRICT = frozenset({"district"})
TOWN = frozenset({"town"})
VILLAGE = frozenset({"village"})
PUSHERS = frozenset({"district", "department"})
EVERYONE = frozenset({"district", "town", "village", "cadre", "department", "department user", "service"})
SERVICE_OR_DISTRICT = frozenset({"district", "service"})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] = frozenset()
    record: str | None = None  # the record kind the route reaches; None: a list or a route with no record
    body: Body | None = None  # a valid body (the endpoint must get past validation to decide on the record)
    query: Body | None = None
    content: tuple[bytes, str] | None = None  # a raw body and its content type
    files: dict[str, tuple[str, bytes, str]] | None = None  # a multipart form's files
    scope: str | None = None  # a key must hold this data type (else 403), whatever the record
    public: bool = False
    headers: dict[str, str] = field(default_factory=dict)


PUBLIC = Rule(public=True)


def _same(kind: str, key: str) -> Body:
    """The id of the record of `kind` in the same place as the record the route reaches."""
    return lambda r, w: next(x for x in w.of(kind) if x.relation == r.relation).ids[key]


def _household_body(extra: dict[str, Any]) -> Body:
    return lambda r, w: {"household_id": r.ids["household_id"], **extra}


MEMBER = {
    "id_number": idnumber.make("36070219900101123"),
    "name": "李四",
    "relation": "之子",
    "labour_skill": "普通劳动力",
}

SHARED: dict[str, Rule] = {
    "GET /docs": PUBLIC,
    "GET /redoc": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /metrics": PUBLIC,
    "GET /regions": Rule(EVERYONE),
    "GET /regions/{code}": Rule(EVERYONE),
    "GET /audit": Rule(DISTRICT),
}

MONITORING: dict[str, Rule] = {
    **SHARED,
    "POST /auth/token": PUBLIC,
    "GET /.well-known/jwks.json": PUBLIC,
    "GET /.well-known/openid-configuration": PUBLIC,
    # registry
    "POST /households": Rule(
        STAFF,
        "place",
        lambda r, w: {"region_code": r.region_code, "head_name": "王五", "category": "一般农户", "members": []},
    ),
    "GET /households": Rule(STAFF),
    "GET /households/{household_id}": Rule(STAFF, "household"),
    "PATCH /households/{household_id}": Rule(STAFF, "household", lambda r, w: {"head_name": "李四"}),
    "POST /households/{household_id}/category-corrections": Rule(
        DISTRICT, "household", lambda r, w: {"category": "边缘易致贫户", "reason": "录入有误"}
    ),
    "POST /households/{household_id}/members": Rule(STAFF, "household", lambda r, w: MEMBER),
    "GET /members/{member_id}": Rule(STAFF, "member"),
    "PATCH /members/{member_id}": Rule(STAFF, "member", lambda r, w: {"name": "李四"}),
    "POST /members/{member_id}/move": Rule(
        STAFF, "member", lambda r, w: {"to_household_id": r.ids["household_id"], "moved_on": "2024-06-01"}
    ),
    "POST /members/{member_id}/death": Rule(STAFF, "member", lambda r, w: {"died_on": "2024-06-01"}),
    "POST /members/{member_id}/departure": Rule(STAFF, "member", lambda r, w: {"departed_on": "2024-06-01"}),
    "POST /households/{household_id}/move": Rule(
        STAFF, "household", lambda r, w: {"to_region_code": r.region_code, "moved_on": "2024-06-01"}
    ),
    "GET /households/{household_id}/history": Rule(STAFF, "household"),
    "POST /imports/households": Rule(STAFF),
    "GET /imports/template.csv": Rule(STAFF),
    "GET /imports/template.xlsx": Rule(STAFF),
    "POST /imports/households/check": Rule(STAFF),
    "GET /import-jobs/{job_id}": Rule(STAFF, "import job"),
    "GET /import-jobs/{job_id}/errors.xlsx": Rule(STAFF, "import job"),
    "GET /search": Rule(STAFF, query=lambda r, w: {"q": "张三"}),
    # screening
    "POST /assessments": Rule(
        VILLAGE,
        "household",
        _household_body({"month": "2024-05", "outcome": "无风险", "risk_causes": [], "assessed_on": "2024-05-10"}),
    ),
    "GET /assessments": Rule(STAFF),
    "GET /assessments/overdue": Rule(STAFF),
    "GET /assessments/{assessment_id}": Rule(STAFF, "assessment"),
    "PATCH /assessments/{assessment_id}": Rule(VILLAGE, "assessment", lambda r, w: {"reasons": "复核"}),
    "POST /assessments/{assessment_id}/town-review": Rule(
        TOWN, "assessment", lambda r, w: {"agree": True, "opinion": "同意"}
    ),
    # inclusion
    "POST /inclusion-cases": Rule(
        STAFF, "household", _household_body({"channel": "干部排查", "clue_date": "2024-06-11"})
    ),
    "GET /inclusion-cases": Rule(STAFF),
    "GET /inclusion-cases/late": Rule(STAFF),
    "GET /inclusion-cases/{case_id}": Rule(STAFF, "inclusion case"),
    # the body is the village's step (入户核实); the later steps are the town's and the district's
    "POST /inclusion-cases/{case_id}/steps": Rule(
        VILLAGE,
        "inclusion case",
        lambda r, w: {"step": "入户核实", "taken_on": "2024-06-12", "authorisation_signed": True},
    ),
    "GET /inclusion-cases/{case_id}/notice": Rule(STAFF, "inclusion case"),
    # assistance
    "POST /households/{household_id}/measures": Rule(
        STAFF, "household", lambda r, w: {"category": "就业帮扶", "owner": "王干部", "start_on": "2024-04-01"}
    ),
    "GET /households/{household_id}/measures": Rule(STAFF, "household"),
    "GET /measures/flags": Rule(STAFF),
    "GET /measures": Rule(STAFF),
    "GET /measures/{measure_id}": Rule(STAFF, "measure"),
    "PATCH /measures/{measure_id}": Rule(STAFF, "measure", lambda r, w: {"owner": "李干部"}),
    "POST /households/{household_id}/lookbacks": Rule(
        STAFF, "household", lambda r, w: {"due_on": "2024-08-01", "reason": "回头看"}
    ),
    "GET /households/{household_id}/lookbacks": Rule(STAFF, "household"),
    "GET /lookbacks/overdue": Rule(STAFF),
    "GET /lookbacks/{lookback_id}": Rule(STAFF, "lookback"),
    "POST /lookbacks/{lookback_id}/record": Rule(
        STAFF, "lookback", lambda r, w: {"done_on": "2024-06-12", "findings": "有效", "measures_effective": True}
    ),
    # risk elimination: each step by its role
    "POST /households/{household_id}/eliminations": Rule(
        STAFF, "household", lambda r, w: {"kind": "帮扶消除", "risk_resolved": True, "risk_note": "收入稳定"}
    ),
    "GET /households/{household_id}/eliminations": Rule(STAFF, "household"),
    "GET /eliminations/ready": Rule(STAFF),
    "GET /eliminations": Rule(STAFF),
    "GET /eliminations/{elimination_id}": Rule(STAFF, "elimination"),
    "POST /eliminations/{elimination_id}/verification": Rule(
        VILLAGE, "elimination", lambda r, w: {"done_on": "2024-06-12", "passed": True}
    ),
    "POST /eliminations/{elimination_id}/notice": Rule(
        VILLAGE,
        "elimination",
        lambda r, w: {"notice_from": "2024-06-12", "notice_to": "2024-06-15", "passed": True},
    ),
    "POST /eliminations/{elimination_id}/town-review": Rule(
        TOWN, "elimination", lambda r, w: {"done_on": "2024-06-12", "passed": True}
    ),
    "POST /eliminations/{elimination_id}/approval": Rule(
        DISTRICT, "elimination", lambda r, w: {"decided_on": "2024-06-12", "approved": True}
    ),
    # cadres and visits
    "POST /pairings": Rule(STAFF, "household", _household_body({"cadre_user_id": "77", "since": "2024-06-01"})),
    "GET /pairings": Rule(VISITORS),
    "GET /pairings/{pairing_id}": Rule(VISITORS, "pairing"),
    "POST /pairings/{pairing_id}/end": Rule(STAFF, "pairing", lambda r, w: {"until": "2024-06-12"}),
    "POST /households/{household_id}/visits": Rule(
        VISITORS, "household", lambda r, w: {"visited_on": "2024-06-12", "findings": "正常", "cadre": "结对干部"}
    ),
    "GET /households/{household_id}/visits": Rule(VISITORS, "household"),
    "GET /visits/overdue": Rule(VISITORS),
    "GET /visits": Rule(VISITORS),
    "GET /visits/{visit_id}": Rule(VISITORS, "visit"),
    "GET /paired-households": Rule(VISITORS),
    "GET /paired-households/{household_id}": Rule(VISITORS, "household"),
    # income, warnings, key groups
    "PUT /households/{household_id}/income/{year}": Rule(STAFF, "income", lambda r, w: {"wage_income": "31000"}),
    "GET /households/{household_id}/income": Rule(STAFF, "household"),
    "GET /households/{household_id}/income/{year}": Rule(STAFF, "income"),
    "GET /warnings": Rule(STAFF),
    "POST /warnings/recompute": Rule(frozenset({"district", "town"})),
    "GET /households/{household_id}/warnings": Rule(STAFF, "household"),
    "POST /households/{household_id}/warnings/recompute": Rule(STAFF, "household"),
    "GET /households/{household_id}/groups": Rule(STAFF, "household"),
    "POST /households/{household_id}/groups": Rule(
        STAFF, "household", lambda r, w: {"key_group": "特殊困难人员", "reason": "独居老人"}
    ),
    "DELETE /households/{household_id}/groups/{mark_id}": Rule(STAFF, "group mark"),
    "GET /key-groups/unscreened": Rule(STAFF),
    # sector departments
    "POST /batches": Rule(
        PUSHERS,
        body=lambda r, w: {"data_type": DATA_TYPE, "period": "2024-06", "department_batch_id": "authz-2"},
        scope=DATA_TYPE,
    ),
    "GET /batches": Rule(PUSHERS),
    "GET /batches/{batch_id}": Rule(PUSHERS, "batch"),
    "PUT /batches/{batch_id}/parts/{part_number}": Rule(PUSHERS, "batch", content=(b"id_number,name\n", "text/csv")),
    "POST /batches/{batch_id}/close": Rule(PUSHERS, "batch"),
    "GET /batches/{batch_id}/errors": Rule(PUSHERS, "batch"),
    "GET /crosscheck-jobs/{job_id}": Rule(PUSHERS, "job"),
    "GET /discrepancies": Rule(STAFF | {"department"}),
    "GET /discrepancies/counts": Rule(STAFF | {"department"}),
    "GET /discrepancies/{discrepancy_id}": Rule(STAFF | {"department"}, "discrepancy"),
    "PATCH /discrepancies/{discrepancy_id}": Rule(
        frozenset({"town", "village"}), "discrepancy", lambda r, w: {"status": "已核实", "note": "已入户核实"}
    ),
    # overview
    "GET /overview": Rule(STAFF, "place", query=lambda r, w: {"region_code": r.region_code}),
    "GET /inclusion-notices": Rule(STAFF, "place", query=lambda r, w: {"region_code": r.region_code}),
    "GET /special-groups/{kind}": Rule(STAFF),
    # sibling services
    "GET /service/people/{id_number}": Rule(SERVICE_OR_DISTRICT, "person"),
    "GET /service/members": Rule(SERVICE_OR_DISTRICT),
    "GET /deadlines": Rule(SERVICE_OR_DISTRICT),
    "GET /service/records/{entity}": Rule(SERVICE_OR_DISTRICT),
    "POST /service/province-updates": Rule(SERVICE_OR_DISTRICT, body=lambda r, w: {}),
}

# The district office and the finance department (a department's person, not a department system's key) handle the
# money; staff and that department read what lies in their region.
TREASURERS = frozenset({"district", "department user"})
FUNDS_READERS = STAFF | {"department user"}

FUNDS: dict[str, Rule] = {
    **SHARED,
    "GET /deadlines": Rule(SERVICE_OR_DISTRICT),
    "POST /fund-sources": Rule(
        TREASURERS,
        body=lambda r, w: {
            "year": 2026,
            "level": "省级",
            "document_number": "赣财农指〔2026〕7号",
            "name": "衔接资金",
            "amount": "20000.00",
        },
    ),
    "GET /fund-sources": Rule(FUNDS_READERS),
    "GET /fund-sources/central-industry-share": Rule(FUNDS_READERS),
    "GET /fund-sources/{source_id}": Rule(FUNDS_READERS, "fund source"),
    "PATCH /fund-sources/{source_id}": Rule(TREASURERS, "fund source", lambda r, w: {"note": "更正"}),
    "POST /projects": Rule(
        VILLAGE,
        "place",
        lambda r, w: {
            "year": 2026,
            "name": "道路硬化项目",
            "type": "基础设施",
            "region_code": r.region_code,
            "owner_department": "区交通局",
            "budget": "100000.00",
            "performance_targets": [{"kind": "产出指标", "indicator": "道路长度", "target": "≥ 2 公里"}],
        },
    ),
    "GET /projects": Rule(FUNDS_READERS),
    "GET /project-library/{year}": Rule(FUNDS_READERS),
    "GET /projects/{project_id}": Rule(FUNDS_READERS, "project"),
    "PATCH /projects/{project_id}": Rule(STAFF, "project", lambda r, w: {"description": "更新说明"}),
    "POST /projects/{project_id}/town-review": Rule(
        TOWN, "project", lambda r, w: {"agree": True, "notice_start": "2026-03-02", "notice_end": "2026-03-08"}
    ),
    "POST /projects/{project_id}/district-approval": Rule(DISTRICT, "project", lambda r, w: {"approve": True}),
    "POST /projects/{project_id}/completion": Rule(
        frozenset({"district", "town"}), "project", lambda r, w: {"completed_on": "2026-03-01"}
    ),
    "GET /projects/{project_id}/history": Rule(FUNDS_READERS, "project"),
    "GET /projects/{project_id}/notice": Rule(FUNDS_READERS, "project"),
    # a loan is checked against monitoring-api's registry: the matrix sends an empty body (422 once past the role)
    "POST /loans": Rule(STAFF, body=lambda r, w: {}),
    "GET /loans": Rule(STAFF),
    "GET /loans/due": Rule(STAFF),
    "GET /loans/subsidy": Rule(STAFF),
    "GET /loans/{loan_id}": Rule(STAFF, "loan"),
    "PATCH /loans/{loan_id}": Rule(STAFF, "loan", lambda r, w: {"bank": "邮储银行"}),
    "POST /loans/{loan_id}/repayments": Rule(
        STAFF, "loan", lambda r, w: {"paid_on": "2026-03-01", "principal": "100.00", "interest": "10.00"}
    ),
    "POST /loans/{loan_id}/extensions": Rule(
        STAFF, "loan", lambda r, w: {"approved_on": "2026-03-01", "new_maturity": "2029-06-05", "reason": "受灾"}
    ),
    # business entities and bases (经营主体/产业基地)
    "POST /entities": Rule(
        STAFF,
        "place",
        lambda r, w: {
            "name": "新合作社",
            "kind": "家庭农场",
            "credit_code": "93360702MA0000099X",
            "region_code": r.region_code,
            "established_on": "2023-03-01",
        },
    ),
    "GET /entities": Rule(FUNDS_READERS),
    "GET /entities/overview": Rule(FUNDS_READERS),
    "GET /entities/{entity_id}": Rule(FUNDS_READERS, "entity"),
    "PATCH /entities/{entity_id}": Rule(STAFF, "entity", lambda r, w: {"name": "改名合作社"}),
    "POST /entities/{entity_id}/links": Rule(
        STAFF,
        "entity",
        lambda r, w: {"year": 2025, "kind": "务工就业", "households": 3, "lifted_households": 1, "amount": "1000"},
    ),
    "GET /farmer-links": Rule(FUNDS_READERS),
    "POST /industrial-bases": Rule(
        STAFF,
        "entity",
        lambda r, w: {
            "name": "新基地",
            "entity_id": r.ids["entity_id"],
            "region_code": r.region_code,
            "industry": "茶叶",
            "established_on": "2023-04-01",
        },
    ),
    "GET /industrial-bases": Rule(FUNDS_READERS),
    "GET /industrial-bases/{base_id}": Rule(FUNDS_READERS, "industrial base"),
    "PATCH /industrial-bases/{base_id}": Rule(STAFF, "industrial base", lambda r, w: {"industry": "脐橙"}),
    # project assets (扶贫项目资产): registered for a completed project (an empty body is refused past the role)
    "POST /assets": Rule(STAFF, body=lambda r, w: {}),
    "GET /assets": Rule(FUNDS_READERS),
    "GET /assets/ledger": Rule(FUNDS_READERS, query=lambda r, w: {"level": "村级"}),
    "GET /assets/upkeep/overdue": Rule(FUNDS_READERS),
    "GET /assets/{asset_id}": Rule(FUNDS_READERS, "asset"),
    "PATCH /assets/{asset_id}": Rule(STAFF, "asset", lambda r, w: {"location": "村委会东侧"}),
    "POST /assets/{asset_id}/upkeep": Rule(
        STAFF, "asset", lambda r, w: {"level": "村级管护", "done_on": "2026-03-01", "findings": "运行正常"}
    ),
    "GET /assets/{asset_id}/upkeep": Rule(FUNDS_READERS, "asset"),
    "GET /assets/overview": Rule(FUNDS_READERS),
    "POST /assets/{asset_id}/surveys": Rule(
        STAFF, "asset", lambda r, w: {"surveyed_on": "2026-03-01", "condition": "闲置", "cause": "停产"}
    ),
    "GET /asset-surveys": Rule(FUNDS_READERS),
    "GET /asset-surveys/{survey_id}": Rule(FUNDS_READERS, "asset survey"),
    "POST /asset-surveys/{survey_id}/handling": Rule(
        STAFF, "asset survey", lambda r, w: {"handling": "盘活一批", "plan": "出租", "state": "处置中"}
    ),
    "POST /assets/{asset_id}/income": Rule(
        STAFF, "asset", lambda r, w: {"received_on": "2026-03-01", "amount": "100", "source": "租金"}
    ),
    "POST /asset-income/{income_id}/distributions": Rule(
        STAFF,
        "asset income",
        lambda r, w: {"distributed_on": "2026-03-02", "group": "特殊群体", "purpose": "奖补", "amount": "10"},
    ),
    "GET /asset-income/summary": Rule(FUNDS_READERS, query=lambda r, w: {"year": 2026}),
    "POST /assets/{asset_id}/pv-output": Rule(
        STAFF, "asset", lambda r, w: {"month": "2026-02", "output_kwh": "100", "income": "40"}
    ),
    "GET /pv-stations/output": Rule(FUNDS_READERS, query=lambda r, w: {"year": 2026}),
    # allocations and payments (拨付)
    "POST /allocations": Rule(TREASURERS, body=lambda r, w: {}),
    "GET /allocations": Rule(FUNDS_READERS),
    "GET /allocations/{allocation_id}": Rule(FUNDS_READERS, "allocation"),
    "POST /projects/{project_id}/payments": Rule(
        TREASURERS,
        "project",
        lambda r, w: {"allocation_id": 1, "paid_on": "2026-03-01", "amount": "100.00", "voucher_number": "记-001"},
    ),
    "GET /payments": Rule(FUNDS_READERS),
    "GET /disbursement/by-town": Rule(FUNDS_READERS),
    "GET /disbursement/by-department": Rule(FUNDS_READERS),
    "GET /disbursement/by-fund-source": Rule(FUNDS_READERS),
    "GET /disbursement/projects": Rule(FUNDS_READERS),
    "GET /reports/monthly": Rule(FUNDS_READERS),
    "GET /reports/quarterly": Rule(FUNDS_READERS),
    # project changes (项目变更) and budget/settlement reviews
    "POST /projects/{project_id}/changes": Rule(
        STAFF, "project", lambda r, w: {"after": {"name": "蔬菜基地扩建项目"}, "reason": "规模扩大"}
    ),
    "GET /project-changes": Rule(FUNDS_READERS),
    "GET /project-changes/{change_id}": Rule(FUNDS_READERS, "project change"),
    "POST /project-changes/{change_id}/decision": Rule(DISTRICT, "project change", lambda r, w: {"approve": True}),
    "POST /projects/{project_id}/reviews": Rule(
        TREASURERS,
        "project",
        lambda r, w: {
            "kind": "预算评审",
            "reviewed_on": "2026-03-01",
            "agency": "区财政评审中心",
            "submitted_amount": "500000",
            "approved_amount": "480000",
            "conclusion": "同意",
        },
    ),
    "GET /projects/{project_id}/reviews": Rule(FUNDS_READERS, "project"),
    # consumption assistance (消费帮扶)
    "POST /purchases": Rule(frozenset({"district", "department user", "town"}), body=lambda r, w: {}),
    "GET /purchases": Rule(FUNDS_READERS),
    "GET /purchases/summary": Rule(FUNDS_READERS),
    "GET /purchases/{purchase_id}": Rule(FUNDS_READERS, "purchase"),
    "PATCH /purchases/{purchase_id}": Rule(
        frozenset({"district", "department user", "town"}), "purchase", lambda r, w: {"product": "脐橙"}
    ),
}

EMPLOYMENT: dict[str, Rule] = {
    **SHARED,
    "GET /deadlines": Rule(SERVICE_OR_DISTRICT),
    "GET /labourers": Rule(STAFF),
    "GET /labourers/{labourer_id}": Rule(STAFF, "labourer"),
    # public-welfare jobs and workshops
    "POST /positions": Rule(
        STAFF,
        "place",
        lambda r, w: {
            "kind": "帮扶车间",
            "name": "缝纫工",
            "region_code": r.region_code,
            "employer": "帮扶车间",
            "opened_on": "2026-01-01",
        },
    ),
    "GET /positions": Rule(STAFF),
    "GET /positions/{position_id}": Rule(STAFF, "position"),
    "PATCH /positions/{position_id}": Rule(STAFF, "position", lambda r, w: {"name": "护林员"}),
    "POST /positions/{position_id}/occupancies": Rule(
        STAFF, "position", lambda r, w: {"labourer_id": r.ids["labourer_id"], "start_on": "2026-02-15"}
    ),
    "GET /positions/{position_id}/occupancies": Rule(STAFF, "position"),
    "GET /occupancies": Rule(STAFF),
    "GET /occupancies/{occupancy_id}": Rule(STAFF, "occupancy"),
    "PATCH /occupancies/{occupancy_id}": Rule(STAFF, "occupancy", lambda r, w: {"end_on": "2026-02-28"}),
    # the 131 service
    "POST /job-seekers": Rule(
        STAFF, "labourer", lambda r, w: {"labourer_id": r.ids["other_labourer_id"], "registered_on": "2026-02-01"}
    ),
    "GET /job-seekers": Rule(STAFF),
    "GET /job-seekers/missing": Rule(STAFF),
    "GET /job-seekers/missing/summary": Rule(STAFF),
    "GET /job-seekers/{seeker_id}": Rule(STAFF, "job seeker"),
    "PATCH /job-seekers/{seeker_id}": Rule(STAFF, "job seeker", lambda r, w: {"registered_on": "2026-02-02"}),
    "POST /job-seekers/{seeker_id}/close": Rule(
        STAFF, "job seeker", lambda r, w: {"closed_on": "2026-02-20", "outcome": "已就业"}
    ),
    "POST /job-seekers/{seeker_id}/services": Rule(
        STAFF, "job seeker", lambda r, w: {"part": "岗位推荐", "served_on": "2026-02-03", "served_by": "村就业专干"}
    ),
    "GET /job-seekers/{seeker_id}/services": Rule(STAFF, "job seeker"),
    "GET /services-131/{service_id}": Rule(STAFF, "service 131"),
    "PATCH /services-131/{service_id}": Rule(STAFF, "service 131", lambda r, w: {"served_by": "镇就业专干"}),
    # training
    "POST /training-surveys": Rule(
        STAFF,
        "labourer",
        lambda r, w: {
            "labourer_id": r.ids["other_labourer_id"],
            "surveyed_on": "2026-02-05",
            "surveyed_by": "专干",
            "wants_training": False,
        },
    ),
    "GET /training-surveys": Rule(STAFF),
    "GET /training-surveys/overdue": Rule(STAFF),
    "GET /training-surveys/{survey_id}": Rule(STAFF, "training survey"),
    "PATCH /training-surveys/{survey_id}": Rule(STAFF, "training survey", lambda r, w: {"surveyed_by": "镇专干"}),
    "POST /trainings": Rule(
        STAFF,
        "place",
        lambda r, w: {
            "title": "厨师培训",
            "kind": "技能培训",
            "region_code": r.region_code,
            "organizer": "区人社局",
            "start_on": "2026-03-01",
            "end_on": "2026-03-10",
        },
    ),
    "GET /trainings": Rule(STAFF),
    "GET /trainings/{training_id}": Rule(STAFF, "training"),
    "PATCH /trainings/{training_id}": Rule(STAFF, "training", lambda r, w: {"organizer": "镇政府"}),
    "POST /trainings/{training_id}/attendance": Rule(
        STAFF, "training", lambda r, w: {"labourer_id": r.ids["labourer_id"]}
    ),
    "GET /trainings/{training_id}/attendance": Rule(STAFF, "training"),
    "GET /attendance": Rule(STAFF),
    "GET /attendance/{attendance_id}": Rule(STAFF, "attendance"),
    "PATCH /attendance/{attendance_id}": Rule(STAFF, "attendance", lambda r, w: {"certificate": "电工证"}),
    "POST /yulu-participants": Rule(
        STAFF,
        "place",
        lambda r, w: {
            "id_number": idnumber.make("36070220060101017"),
            "name": "王五",
            "region_code": r.region_code,
            "school": "赣南师范大学",
            "enrolled_on": "2025-09-01",
        },
    ),
    "GET /yulu-participants": Rule(STAFF),
    "GET /yulu-participants/{participant_id}": Rule(STAFF, "yulu participant"),
    "PATCH /yulu-participants/{participant_id}": Rule(STAFF, "yulu participant", lambda r, w: {"school": "赣州职院"}),
    "POST /yulu-participants/{participant_id}/milestones": Rule(
        STAFF, "yulu participant", lambda r, w: {"stage": "毕业", "reached_on": "2026-01-10"}
    ),
    "GET /yulu-participants/{participant_id}/milestones": Rule(STAFF, "yulu participant"),
    # subsidies
    "POST /subsidies": Rule(
        STAFF,
        "labourer",
        lambda r, w: {
            "labourer_id": r.ids["other_labourer_id"],
            "kind": "交通补贴",
            "period": "2026",
            "amount": "500.00",
            "granted_on": "2026-02-10",
            "granted_by": "区人社局",
        },
    ),
    "GET /subsidies": Rule(STAFF),
    "GET /subsidies/totals": Rule(STAFF),
    "GET /subsidies/{subsidy_id}": Rule(STAFF, "subsidy"),
    "PATCH /subsidies/{subsidy_id}": Rule(STAFF, "subsidy", lambda r, w: {"notes": "更正"}),
    "POST /subsidies/{subsidy_id}/revoke": Rule(
        STAFF, "subsidy", lambda r, w: {"revoked_on": "2026-03-01", "reason": "录入错误"}
    ),
    # the monthly employment ledger (就业台账)
    "POST /ledger/{month}/entries": Rule(
        STAFF, "labourer", lambda r, w: {"labourer_id": r.ids["labourer_id"], "status": "未就业"}
    ),
    "GET /ledger/{month}/entries": Rule(STAFF),
    "GET /ledger/entries/{entry_id}": Rule(STAFF, "ledger entry"),
    "PATCH /ledger/entries/{entry_id}": Rule(STAFF, "ledger entry", lambda r, w: {"status": "务工"}),
    "POST /ledger/{month}/villages/{region_code}/submit": Rule(VILLAGE, "place"),
    "POST /ledger/{month}/villages/{region_code}/confirm": Rule(TOWN, "place"),
    "GET /ledger/{month}/status": Rule(STAFF),
    "GET /ledger/{month}/villages/{region_code}/template.xlsx": Rule(STAFF, "place"),
    "POST /ledger/{month}/villages/{region_code}/upload": Rule(
        STAFF, "place", files={"file": ("台账.csv", "身份证号,就业状态\n".encode(), "text/csv")}
    ),
    "GET /ledger/uploads/{upload_id}": Rule(STAFF, "ledger upload"),
    "GET /ledger/uploads/{upload_id}/errors.xlsx": Rule(STAFF, "ledger upload"),
    # targets (就业目标)
    "GET /targets/{month}": Rule(STAFF),
    "GET /targets/{month}/people": Rule(STAFF),
    "GET /targets/{month}/zero-employment-households": Rule(STAFF),
}

PEOPLE_AND_KEYS = EVERYONE  # the inbox: whoever signs in reads their own messages

WORKER: dict[str, Rule] = {
    **SHARED,
    # the inbox (each caller their own messages) and the gateway's dead letters
    "GET /notifications": Rule(PEOPLE_AND_KEYS),
    "GET /notifications/unread-count": Rule(PEOPLE_AND_KEYS),
    "POST /notifications/{notification_id}/read": Rule(PEOPLE_AND_KEYS, record="notification"),
    "GET /notifications/{notification_id}/delivery": Rule(PEOPLE_AND_KEYS, record="notification"),
    "GET /deliveries/dead": Rule(DISTRICT),
    "POST /deliveries/replay": Rule(DISTRICT, body=lambda r, w: {}),
    # the provincial sync
    "GET /sync/state": Rule(DISTRICT),
    "GET /sync/records": Rule(DISTRICT),
    "POST /sync/records/replay": Rule(DISTRICT, body=lambda r, w: {"status": "死信"}),
    "GET /sync/conflicts": Rule(DISTRICT),
    "POST /sync/conflicts/{conflict_id}/resolve": Rule(
        DISTRICT, record="conflict", body=lambda r, w: {"keep": "local"}
    ),
    "GET /sync/updates": Rule(DISTRICT),
    "POST /sync/updates/replay": Rule(DISTRICT, body=lambda r, w: {"status": "未匹配"}),
}

POLICIES = {"monitoring": MONITORING, "funds": FUNDS, "employment": EMPLOYMENT, "worker": WORKER}

# Path parameters that are not record ids, filled the same for every caller.
FIXED_PARAMS = {
    "code": "360702191200",
    "kind": "家庭劳动力不足",
    "year": 2024,
    "part_number": 1,
    "month": "2026-02",
    "entity": "household",
}
