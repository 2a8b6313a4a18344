"""Seeds the authorisation matrix's records of each service in the test's rolled-back transaction: a few of every
kind in each of the three places. A new record kind is seeded here and named by routes' `record=` in authz_policy.py.
"""

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
from authz_world import CADRE, DATA_TYPE, PLACES, TODAY, Record, Tokens, World
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT
from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from dixian_worker.sync.models import Conflict, InboundUpdate
from employment_api.deps import get_today as employment_today
from employment_api.roster.models import Labourer
from employment_api.sheets.columns import HEADINGS
from funds_api.assets.enums import AssetCategory, AssetKind, Condition, LedgerLevel, OwnerType, SurveyState
from funds_api.assets.models import Asset, AssetIncome, AssetSurvey
from funds_api.credit.enums import LoanPurpose, RepaymentMethod
from funds_api.credit.models import Loan
from funds_api.deps import get_today as funds_today
from funds_api.disbursement.models import Allocation
from funds_api.projects.enums import ChangeStatus
from funds_api.projects.models import ProjectChange
from funds_api.purchases.models import Purchase, SellerType
from monitoring_api.deps import get_today as monitoring_today
from monitoring_api.elimination.enums import EliminationKind, EliminationStatus
from monitoring_api.elimination.models import Elimination
from monitoring_api.imports.models import HouseholdImport, ImportState
from monitoring_api.sector.models import CrosscheckJob, Discrepancy


async def _created(response: httpx.Response) -> dict[str, object]:
    assert response.status_code in (200, 201), f"{response.request.method} {response.request.url}: {response.text}"
    body: dict[str, object] = response.json()
    return body


async def seed_places(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    """Every service: the three places themselves (routes whose body or query names a region)."""
    world = World()
    for relation, code in PLACES.items():
        world.add("place", Record(relation, code, {"region_code": code}))
    return world


async def seed_monitoring(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    world = await seed_places(client, session, token_for)
    district = token_for("district", DISTRICT, subject="authz-seed")
    key = await _department_key(session)
    batch = await _created(
        await client.post(
            "/batches",
            json={"data_type": DATA_TYPE, "period": "2024-05", "department_batch_id": "authz-1"},
            headers={"X-API-Key": key},
        )
    )
    batch_id = int(str(batch["id"]))
    job = CrosscheckJob(batch_id=batch_id, state="已完成")
    session.add(job)
    await session.flush()
    world.add("batch", Record("own village", DISTRICT, {"batch_id": batch_id, "part_number": 1}, DATA_TYPE))
    world.add("job", Record("own village", DISTRICT, {"job_id": job.id}, DATA_TYPE))

    for serial, (relation, code) in enumerate(PLACES.items()):
        await _seed_place(client, session, token_for, world, district, relation, code, serial, batch_id)
    return world


async def _seed_place(
    client: httpx.AsyncClient,
    session: AsyncSession,
    token_for: Tokens,
    world: World,
    district: dict[str, str],
    relation: str,
    code: str,
    serial: int,
    batch_id: int,
) -> None:
    number = idnumber.make(f"36070219800101{serial + 1:02d}1")
    member = {
        "id_number": number,
        "name": "张三",
        "relation": "户主",
        "labour_skill": "普通劳动力",
        "phone": f"1390000000{serial}",
    }
    household = await _created(
        await client.post(
            "/households",
            json={"region_code": code, "head_name": "张三", "category": "脱贫户", "members": [member]},
            headers=district,
        )
    )
    hid = int(str(household["id"]))
    members = household["members"]
    assert isinstance(members, list)
    mid = int(members[0]["id"])
    paired = relation == "own village"

    def add(kind: str, **ids: object) -> None:
        world.add(kind, Record(relation, code, {"household_id": hid, **ids}, paired=paired))

    add("household")
    world.add("member", Record(relation, code, {"member_id": mid, "household_id": hid}, paired=paired))
    world.add("person", Record(relation, code, {"id_number": number}, paired=paired))
    url = f"/households/{hid}"
    assessment = await _created(
        await client.post(
            "/assessments",
            json={
                "household_id": hid,
                "month": "2024-06",
                "outcome": "暂不纳入",
                "risk_causes": ["因病"],
                "reasons": "户主住院",
                "assessed_on": "2024-06-10",
            },
            headers=token_for("village", code, subject="authz-seed-village"),
        )
    )
    world.add("assessment", Record(relation, code, {"assessment_id": assessment["id"]}, paired=paired))
    case = await _created(
        await client.post(
            "/inclusion-cases",
            json={"household_id": hid, "channel": "农户自主申报", "clue_date": "2024-06-10", "clue_note": "本人申请"},
            headers=district,
        )
    )
    world.add("inclusion case", Record(relation, code, {"case_id": case["id"]}, paired=paired))
    measure = await _created(
        await client.post(
            f"{url}/measures",
            json={"category": "产业帮扶", "sub_type": "种植业", "owner": "王干部", "start_on": "2024-03-01"},
            headers=district,
        )
    )
    world.add("measure", Record(relation, code, {"measure_id": measure["id"]}, paired=paired))
    lookback = await _created(
        await client.post(f"{url}/lookbacks", json={"due_on": "2024-07-01", "reason": "回头看"}, headers=district)
    )
    world.add("lookback", Record(relation, code, {"lookback_id": lookback["id"]}, paired=paired))
    cadre = CADRE if paired else f"authz-other-{serial}"
    pairing = await _created(
        await client.post(
            "/pairings",
            json={"household_id": hid, "cadre_user_id": cadre, "cadre_name": "结对干部", "since": "2024-01-01"},
            headers=district,
        )
    )
    world.add("pairing", Record(relation, code, {"pairing_id": pairing["id"]}, paired=paired))
    visit = await _created(
        await client.post(f"{url}/visits", json={"visited_on": "2024-06-01", "findings": "正常"}, headers=district)
    )
    world.add("visit", Record(relation, code, {"visit_id": visit["id"]}, paired=paired))
    await _created(await client.put(f"{url}/income/2024", json={"wage_income": "30000"}, headers=district))
    add("income", year=2024)
    mark = await _created(
        await client.post(f"{url}/groups", json={"key_group": "就业不稳定户", "reason": "合同到期"}, headers=district)
    )
    add("group mark", mark_id=mark["id"])

    elimination = Elimination(
        household_id=hid,
        region_code=code,
        kind=EliminationKind.by_assistance,
        status=EliminationStatus.awaiting_verification,
        opened_on=TODAY,
        opened_by="user:authz-seed",
        risk_note="风险已消除",
        category_before="脱贫不稳定户",
    )
    discrepancy = Discrepancy(
        department="区医保分中心",
        data_type=DATA_TYPE,
        rule="member_not_insured",
        subject_key=f"authz-{serial}",
        region_code=code,
        member_id=mid,
        household_id=hid,
        id_number=number,
        registry_data={},
        department_data={},
        status="待核实",
        first_batch_id=batch_id,
        last_batch_id=batch_id,
    )
    upload = HouseholdImport(
        region_code=code,
        requested_by="user:authz-seed",
        requested_role="village",
        mode="strict",
        content=b"\xe6\x88\xb7\xe7\xbc\x96\xe5\x8f\xb7\n",
        state=ImportState.done,
        rows_estimated=0,
        rows_read=0,
        rows_accepted=0,
        rows_refused=0,
    )
    session.add_all([elimination, discrepancy, upload])
    await session.flush()
    world.add("import job", Record(relation, code, {"job_id": upload.id}, paired=paired))
    world.add("elimination", Record(relation, code, {"elimination_id": elimination.id}, paired=paired))
    world.add("discrepancy", Record(relation, code, {"discrepancy_id": discrepancy.id}, DATA_TYPE, paired=paired))


async def _department_key(session: AsyncSession) -> str:
    key, prefix, secret_hash = new_key()
    session.add(
        ApiKey(
            prefix=prefix,
            secret_hash=secret_hash,
            name="authz-seed",
            role="department",
            region_code=DISTRICT,
            scopes=[DATA_TYPE],
        )
    )
    await session.flush()
    return key


@dataclass(frozen=True)
class ServiceSeed:
    seed: Callable[[httpx.AsyncClient, AsyncSession, Tokens], Awaitable[World]]
    today_dependency: Callable[[], Awaitable[date]]
    today: date


async def seed_funds(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    world = await seed_places(client, session, token_for)
    district = token_for("district", DISTRICT, subject="authz-seed")
    source = await _created(
        await client.post(
            "/fund-sources",
            json={
                "year": 2026,
                "level": "中央",
                "document_number": "赣财农指〔2026〕99号",
                "name": "衔接资金",
                "amount": "1000000.00",
            },
            headers=district,
        )
    )
    world.add("fund source", Record("district", DISTRICT, {"source_id": source["id"]}))
    for serial, (relation, code) in enumerate(PLACES.items()):
        project = await _created(
            await client.post(
                "/projects",
                json={
                    "year": 2026,
                    "name": f"蔬菜基地建设项目{serial}",
                    "type": "产业",
                    "region_code": code,
                    "owner_department": "区农办",
                    "budget": "500000.00",
                    "performance_targets": [{"kind": "效益指标", "indicator": "带动增收户数", "target": "≥ 30 户"}],
                },
                headers=token_for("village", code, subject="authz-seed-village"),
            )
        )
        world.add("project", Record(relation, code, {"project_id": project["id"]}))
        loan = Loan(
            region_code=code,
            household_id=1000 + serial,
            member_id=2000 + serial,
            borrower_id_number=idnumber.make(f"36070219800101{serial + 1:02d}3"),
            borrower_name="张三",
            household_category="脱贫户",
            bank="农商银行",
            contract_number=f"authz-{serial}",
            amount=Decimal(50000),
            annual_rate=Decimal("0.0345"),
            term_months=36,
            loan_date=date(2026, 1, 5),
            maturity_date=date(2029, 1, 5),
            purpose=LoanPurpose.planting,
            repayment_method=RepaymentMethod.equal_principal,
            period_months=3,
        )
        session.add(loan)
        await session.flush()
        world.add("loan", Record(relation, code, {"loan_id": loan.id}))
        entity = await _created(
            await client.post(
                "/entities",
                json={"name": f"蔬菜专业合作社{serial}", "kind": "农民合作社",
                      "credit_code": f"93360702MA000000{serial}X", "region_code": code, "established_on": "2022-03-01"},
                headers=district,
            )
        )  # fmt: skip
        world.add("entity", Record(relation, code, {"entity_id": entity["id"]}))
        base = await _created(
            await client.post(
                "/industrial-bases",
                json={"name": "蔬菜基地", "entity_id": entity["id"], "region_code": code, "industry": "蔬菜",
                      "area_mu": "120.5", "established_on": "2022-04-01"},
                headers=district,
            )
        )  # fmt: skip
        world.add("industrial base", Record(relation, code, {"base_id": base["id"]}))
        # A project asset with a survey finding and an income (the project need not be completed for the matrix).
        asset = Asset(
            name=f"光伏电站{serial}",
            category=AssetCategory.operating,
            kind=AssetKind.pv_station,
            owner_type=OwnerType.collective,
            owner="村股份经济合作社",
            value=Decimal(300000),
            ledger_level=LedgerLevel.village,
            region_code=code,
            location="村委会屋顶",
            project_id=project["id"],
            formed_on=date(2026, 1, 10),
        )
        session.add(asset)
        await session.flush()
        world.add("asset", Record(relation, code, {"asset_id": asset.id}))
        survey = AssetSurvey(
            asset_id=asset.id,
            region_code=code,
            surveyed_on=date(2026, 2, 1),
            condition=Condition.idle,
            cause="逆变器故障",
            state=SurveyState.open,
        )
        income = AssetIncome(
            asset_id=asset.id, region_code=code, received_on=date(2026, 2, 1), amount=Decimal(1000), source="发电收益"
        )
        session.add_all([survey, income])
        await session.flush()
        world.add("asset survey", Record(relation, code, {"survey_id": survey.id}))
        world.add("asset income", Record(relation, code, {"income_id": income.id}))
        purchase = Purchase(
            purchased_on=date(2026, 2, 15),
            buyer_unit="区财政局",
            seller_type=SellerType.household,
            household_id=1000 + serial,
            seller_id_number=idnumber.make(f"36070219800101{serial + 1:02d}3"),
            seller_name="张三",
            region_code=code,
            product="脐橙",
            amount=Decimal(1200),
            invoice_number=f"authz-purchase-{serial}",
        )
        session.add(purchase)
        await session.flush()
        world.add("purchase", Record(relation, code, {"purchase_id": purchase.id}))
        allocation = Allocation(
            fund_source_id=source["id"], project_id=project["id"], region_code=code, amount=Decimal(1000),
            allocated_on=date(2026, 3, 1), allocated_by="user:authz-seed",
        )  # fmt: skip
        change = ProjectChange(
            project_id=project["id"], region_code=code, reason="规模调整", before={"name": "蔬菜基地"},
            after={"name": "蔬菜基地扩建"}, project_version=1, status=ChangeStatus.pending,
            requested_on=date(2026, 3, 1), requested_by="user:authz-seed",
        )  # fmt: skip
        session.add_all([allocation, change])
        await session.flush()
        world.add("allocation", Record(relation, code, {"allocation_id": allocation.id}))
        world.add("project change", Record(relation, code, {"change_id": change.id}))
    return world


async def seed_employment(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    world = await seed_places(client, session, token_for)
    for serial, (relation, code) in enumerate(PLACES.items()):
        village = token_for("village", code, subject="authz-seed-village")
        labourers, id_numbers = [], []
        for n in range(2):
            labourer = Labourer(
                member_id=3000 + 10 * serial + n, household_id=4000 + serial, region_code=code,
                id_number=idnumber.make(f"36070219800101{serial + 1}{n}5"), name="张三", sex="男",
                birth_date=date(1980, 1, 1), labour_skill="普通劳动力", household_category="脱贫户",
                member_status="正常", household_status="正常", qualifies=True, observed_at=datetime.now(UTC),
            )  # fmt: skip
            session.add(labourer)
            await session.flush()
            labourers.append(labourer.id)
            id_numbers.append(labourer.id_number)
        world.add("labourer", Record(relation, code, {"labourer_id": labourers[0], "other_labourer_id": labourers[1]}))
        position = await _created(
            await client.post(
                "/positions",
                json={"kind": "公益性岗位", "name": "保洁员", "region_code": code, "employer": "村委会",
                      "monthly_pay": "800.00", "opened_on": "2026-01-01"},
                headers=village,
            )
        )  # fmt: skip
        world.add("position", Record(relation, code, {"position_id": position["id"], "labourer_id": labourers[1]}))
        occupancy = await _created(
            await client.post(
                f"/positions/{position['id']}/occupancies",
                json={"labourer_id": labourers[0], "start_on": "2026-02-01"},
                headers=village,
            )
        )
        world.add("occupancy", Record(relation, code, {"occupancy_id": occupancy["id"]}))
        seeker = await _created(
            await client.post(
                "/job-seekers", json={"labourer_id": labourers[0], "registered_on": "2026-02-01"}, headers=village
            )
        )
        world.add("job seeker", Record(relation, code, {"seeker_id": seeker["id"]}))
        service = await _created(
            await client.post(
                f"/job-seekers/{seeker['id']}/services",
                json={"part": "职业指导", "served_on": "2026-02-02", "served_by": "村就业专干"},
                headers=village,
            )
        )
        world.add("service 131", Record(relation, code, {"service_id": service["id"]}))
        survey = await _created(
            await client.post(
                "/training-surveys",
                json={"labourer_id": labourers[0], "surveyed_on": "2026-02-02", "surveyed_by": "村就业专干",
                      "wants_training": True},
                headers=village,
            )
        )  # fmt: skip
        world.add("training survey", Record(relation, code, {"survey_id": survey["id"], "labourer_id": labourers[1]}))
        training = await _created(
            await client.post(
                "/trainings",
                json={"title": "电工培训", "kind": "技能培训", "region_code": code, "organizer": "区人社局",
                      "start_on": "2026-02-10", "end_on": "2026-02-20"},
                headers=village,
            )
        )  # fmt: skip
        world.add("training", Record(relation, code, {"training_id": training["id"], "labourer_id": labourers[1]}))
        attendance = await _created(
            await client.post(
                f"/trainings/{training['id']}/attendance", json={"labourer_id": labourers[0]}, headers=village
            )
        )
        world.add("attendance", Record(relation, code, {"attendance_id": attendance["id"]}))
        participant = await _created(
            await client.post(
                "/yulu-participants",
                json={"id_number": idnumber.make(f"36070220050101{serial + 1:02d}7"), "name": "李四",
                      "region_code": code, "school": "赣州职业技术学院", "enrolled_on": "2025-09-01"},
                headers=village,
            )
        )  # fmt: skip
        world.add("yulu participant", Record(relation, code, {"participant_id": participant["id"]}))
        entry = await _created(
            await client.post(
                "/ledger/2026-03/entries", json={"labourer_id": labourers[0], "status": "未就业"}, headers=village
            )
        )
        world.add("ledger entry", Record(relation, code, {"entry_id": entry["id"]}))
        sheet = io.StringIO()
        csv.writer(sheet).writerows([HEADINGS, [labourers[1], id_numbers[1], "张三", "未就业"]])
        upload = await _created(
            await client.post(
                f"/ledger/2026-03/villages/{code}/upload",
                files={"file": ("台账.csv", sheet.getvalue().encode(), "text/csv")},
                headers=village,
            )
        )
        world.add("ledger upload", Record(relation, code, {"upload_id": upload["id"]}))
        subsidy = await _created(
            await client.post(
                "/subsidies",
                json={"labourer_id": labourers[0], "kind": "交通补贴", "period": "2026", "amount": "500.00",
                      "granted_on": "2026-02-10", "granted_by": "区人社局"},
                headers=village,
            )
        )  # fmt: skip
        world.add("subsidy", Record(relation, code, {"subsidy_id": subsidy["id"]}))
    return world


async def seed_worker(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    """The places and a conflict waiting for the district (the worker's API holds no regional records: the inbox is
    each person's own, the sync the district's)."""
    world = await seed_places(client, session, token_for)
    update = {"seq": 1, "type": "assistance_status", "household_local_id": 1, "assistance_status": "帮扶中"}
    session.add(InboundUpdate(seq=1, type="assistance_status", household_local_id=1, payload=update, status="冲突"))
    await session.flush()
    conflict = Conflict(seq=1, household_local_id=1, local_changes=[], province_update=update)
    session.add(conflict)
    await session.flush()
    world.add("conflict", Record("district", DISTRICT, {"conflict_id": conflict.id}))
    return world


async def _worker_today() -> date:
    """The worker's API has no today of its own; the matrix overrides this one, which no route reads."""
    return TODAY


SEEDS: dict[str, ServiceSeed] = {
    "monitoring": ServiceSeed(seed_monitoring, monitoring_today, TODAY),
    "funds": ServiceSeed(seed_funds, funds_today, date(2026, 3, 2)),
    "employment": ServiceSeed(seed_employment, employment_today, date(2026, 3, 2)),
    "worker": ServiceSeed(seed_worker, _worker_today, TODAY),
}
