"""funds-api's routes in the authorisation policy (see authz_policy.py)."""

from authz_rules import DISTRICT, SERVICE_OR_DISTRICT, SHARED, STAFF, TOWN, VILLAGE, Rule

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
