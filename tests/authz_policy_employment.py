"""employment-api's routes in the authorisation policy (see authz_policy.py)."""

from authz_rules import SERVICE_OR_DISTRICT, SHARED, STAFF, TOWN, VILLAGE, Rule

from dixian_shared import idnumber

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
