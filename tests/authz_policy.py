"""Who may call what: the declarative table the authorisation matrix checks every route of every service against.

One entry per route (`"METHOD /path"`): the roles allowed, and the kind of record the route reaches (a path id, or a
household / place named in the body or query), so the matrix knows which callers must get 404 for a foreign record.
A route missing here fails the matrix: a new endpoint is added to its service's table (monitoring-api's and the worker's
here, funds-api's in authz_policy_funds.py, employment-api's in authz_policy_employment.py; the shared vocabulary in
authz_rules.py) and its record kind, if new, seeded in authz_world.py, in the same change.

Roles: district, town, village, cadre, "department user" (people); department (a department system's API key,
scoped to data types); service (another Dixian process's key). Whether a caller of an allowed role reaches a given
record is not written here: it follows from the record's place, data type and pairing (`Caller.sees`), the same
rules for every route.
"""

from authz_policy_employment import EMPLOYMENT
from authz_policy_funds import FUNDS
from authz_rules import (
    DISTRICT,
    EVERYONE,
    MEMBER,
    PUBLIC,
    PUSHERS,
    SERVICE_OR_DISTRICT,
    SHARED,
    STAFF,
    TOWN,
    VILLAGE,
    VISITORS,
    Rule,
    household_body,
)
from authz_world import DATA_TYPE

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
        household_body({"month": "2024-05", "outcome": "无风险", "risk_causes": [], "assessed_on": "2024-05-10"}),
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
        STAFF, "household", household_body({"channel": "干部排查", "clue_date": "2024-06-11"})
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
    "POST /pairings": Rule(STAFF, "household", household_body({"cadre_user_id": "77", "since": "2024-06-01"})),
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
