"""employment-api's records for the authorisation matrix, one of each kind in each place (see authz_seeds.py)."""

import csv
import io
from datetime import UTC, date, datetime

import httpx
from authz_world import PLACES, Record, Tokens, World, created, seed_places
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import idnumber
from employment_api.roster.models import Labourer
from employment_api.sheets.columns import HEADINGS


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
        position = await created(
            await client.post(
                "/positions",
                json={"kind": "公益性岗位", "name": "保洁员", "region_code": code, "employer": "村委会",
                      "monthly_pay": "800.00", "opened_on": "2026-01-01"},
                headers=village,
            )
        )  # fmt: skip
        world.add("position", Record(relation, code, {"position_id": position["id"], "labourer_id": labourers[1]}))
        occupancy = await created(
            await client.post(
                f"/positions/{position['id']}/occupancies",
                json={"labourer_id": labourers[0], "start_on": "2026-02-01"},
                headers=village,
            )
        )
        world.add("occupancy", Record(relation, code, {"occupancy_id": occupancy["id"]}))
        seeker = await created(
            await client.post(
                "/job-seekers", json={"labourer_id": labourers[0], "registered_on": "2026-02-01"}, headers=village
            )
        )
        world.add("job seeker", Record(relation, code, {"seeker_id": seeker["id"]}))
        service = await created(
            await client.post(
                f"/job-seekers/{seeker['id']}/services",
                json={"part": "职业指导", "served_on": "2026-02-02", "served_by": "村就业专干"},
                headers=village,
            )
        )
        world.add("service 131", Record(relation, code, {"service_id": service["id"]}))
        survey = await created(
            await client.post(
                "/training-surveys",
                json={"labourer_id": labourers[0], "surveyed_on": "2026-02-02", "surveyed_by": "村就业专干",
                      "wants_training": True},
                headers=village,
            )
        )  # fmt: skip
        world.add("training survey", Record(relation, code, {"survey_id": survey["id"], "labourer_id": labourers[1]}))
        training = await created(
            await client.post(
                "/trainings",
                json={"title": "电工培训", "kind": "技能培训", "region_code": code, "organizer": "区人社局",
                      "start_on": "2026-02-10", "end_on": "2026-02-20"},
                headers=village,
            )
        )  # fmt: skip
        world.add("training", Record(relation, code, {"training_id": training["id"], "labourer_id": labourers[1]}))
        attendance = await created(
            await client.post(
                f"/trainings/{training['id']}/attendance", json={"labourer_id": labourers[0]}, headers=village
            )
        )
        world.add("attendance", Record(relation, code, {"attendance_id": attendance["id"]}))
        participant = await created(
            await client.post(
                "/yulu-participants",
                json={"id_number": idnumber.make(f"36070220050101{serial + 1:02d}7"), "name": "李四",
                      "region_code": code, "school": "赣州职业技术学院", "enrolled_on": "2025-09-01"},
                headers=village,
            )
        )  # fmt: skip
        world.add("yulu participant", Record(relation, code, {"participant_id": participant["id"]}))
        entry = await created(
            await client.post(
                "/ledger/2026-03/entries", json={"labourer_id": labourers[0], "status": "未就业"}, headers=village
            )
        )
        world.add("ledger entry", Record(relation, code, {"entry_id": entry["id"]}))
        sheet = io.StringIO()
        csv.writer(sheet).writerows([HEADINGS, [labourers[1], id_numbers[1], "张三", "未就业"]])
        upload = await created(
            await client.post(
                f"/ledger/2026-03/villages/{code}/upload",
                files={"file": ("台账.csv", sheet.getvalue().encode(), "text/csv")},
                headers=village,
            )
        )
        world.add("ledger upload", Record(relation, code, {"upload_id": upload["id"]}))
        subsidy = await created(
            await client.post(
                "/subsidies",
                json={"labourer_id": labourers[0], "kind": "交通补贴", "period": "2026", "amount": "500.00",
                      "granted_on": "2026-02-10", "granted_by": "区人社局"},
                headers=village,
            )
        )  # fmt: skip
        world.add("subsidy", Record(relation, code, {"subsidy_id": subsidy["id"]}))
    return world
