"""funds-api's records for the authorisation matrix, one of each kind in each place (see authz_seeds.py)."""

from datetime import date
from decimal import Decimal

import httpx
from authz_world import PLACES, Record, Tokens, World, created, seed_places
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT
from dixian_shared import idnumber
from funds_api.assets.enums import AssetCategory, AssetKind, Condition, LedgerLevel, OwnerType, SurveyState
from funds_api.assets.models import Asset, AssetIncome, AssetSurvey
from funds_api.credit.enums import LoanPurpose, RepaymentMethod
from funds_api.credit.models import Loan
from funds_api.disbursement.models import Allocation
from funds_api.projects.enums import ChangeStatus
from funds_api.projects.models import ProjectChange
from funds_api.purchases.models import Purchase, SellerType


async def seed_funds(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    world = await seed_places(client, session, token_for)
    district = token_for("district", DISTRICT, subject="authz-seed")
    source = await created(
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
        project = await created(
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
        entity = await created(
            await client.post(
                "/entities",
                json={"name": f"蔬菜专业合作社{serial}", "kind": "农民合作社",
                      "credit_code": f"93360702MA000000{serial}X", "region_code": code, "established_on": "2022-03-01"},
                headers=district,
            )
        )  # fmt: skip
        world.add("entity", Record(relation, code, {"entity_id": entity["id"]}))
        base = await created(
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
