"""Business rules of consumption assistance. Takes the session first; flushes, never commits."""

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from funds_api.entities import service as entities
from funds_api.purchases import repository
from funds_api.purchases.errors import SellerNotEligible, SellerNotInRegistry
from funds_api.purchases.models import Purchase, SellerType
from funds_api.purchases.schemas import BuyerTotal, PurchaseCreate, PurchaseSummary, PurchaseUpdate
from funds_api.registry import Registry
from funds_api.rules import PurchaseRules

IN_REGISTRY = "正常"


async def require(session: AsyncSession, principal: Principal, purchase_id: int) -> Purchase:
    purchase = await repository.get(session, principal, purchase_id)
    if purchase is None:
        raise NotFound(entity="purchase", key=purchase_id)
    return purchase


async def _seller(
    session: AsyncSession, principal: Principal, registry: Registry, data: PurchaseCreate, rules: PurchaseRules
) -> dict[str, object]:
    if data.seller_entity_id is not None:  # the schema allows it only for a 经营主体
        entity = await entities.require_entity(session, principal, data.seller_entity_id)
        return {"entity_id": entity.id, "seller_name": entity.name, "region_code": entity.region_code}
    person = await registry.person(str(data.seller_id_number))
    if person is None or not principal.can_access(person.region_code):
        raise NotFound(entity="person", key=data.seller_id_number)
    if person.member_status != IN_REGISTRY or person.household_status != IN_REGISTRY:
        raise SellerNotInRegistry(
            field="body.seller_id_number", member_status=person.member_status, household_status=person.household_status
        )
    if person.household_category not in rules.eligible_categories:
        raise SellerNotEligible(
            field="body.seller_id_number",
            category=person.household_category,
            eligible="、".join(rules.eligible_categories),
        )
    return {
        "household_id": person.household_id,
        "seller_id_number": person.id_number,
        "seller_name": person.name,
        "region_code": person.region_code,
    }


async def record(
    session: AsyncSession,
    principal: Principal,
    registry: Registry,
    data: PurchaseCreate,
    rules: PurchaseRules,
    today: date,
) -> Purchase:
    if data.purchased_on > today:
        raise InvalidField(
            "body.purchased_on",
            f"{data.purchased_on} is after today ({today})",
            f"{data.purchased_on} 晚于今天（{today}）",
        )
    seller = await _seller(session, principal, registry, data, rules)
    fields = data.model_dump(exclude={"seller_id_number", "seller_entity_id"})
    purchase = Purchase(**fields, **seller)
    session.add(purchase)
    await session.flush()
    return purchase


async def update(
    session: AsyncSession, principal: Principal, purchase_id: int, if_match: str | None, data: PurchaseUpdate
) -> Purchase:
    purchase = await require(session, principal, purchase_id)
    check_version(if_match, purchase.version)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is None and field != "note":
            raise InvalidField(f"body.{field}", "cannot be cleared", "不能清空")
        setattr(purchase, field, value)
    await session.flush()
    return purchase


async def summary(
    session: AsyncSession, principal: Principal, rules: PurchaseRules, year: int, region_code: str | None
) -> PurchaseSummary:
    code = region_code or principal.region_code
    if not principal.can_access(code):
        raise NotFound(entity="region", key=code)
    prefix = regioncode.prefix(code)
    by_type = {SellerType(t): Decimal(amount) for t, amount in await repository.by_seller_type(session, year, prefix)}
    total = sum(by_type.values(), Decimal(0))
    return PurchaseSummary(
        year=year,
        region_code=code,
        goal=rules.annual_goal,
        total=total,
        reached=total >= rules.annual_goal,
        shortfall=max(rules.annual_goal - total, Decimal(0)),
        by_seller_type={t: by_type.get(t, Decimal(0)) for t in SellerType},
        by_buyer=[
            BuyerTotal(buyer_unit=row.buyer_unit, amount=row.amount, purchases=row.purchases)
            for row in await repository.by_buyer(session, year, prefix)
        ],
    )
