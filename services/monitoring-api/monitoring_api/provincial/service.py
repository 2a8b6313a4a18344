"""Applying the province's updates: a subject it identified becomes one here with its identification date, kind
and risk types, so the rules that count from inclusion (elimination after six months, development measure within six
months, still at risk after six months) apply to it as to one included here. Other updates are acknowledged and
kept by the worker."""

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import outbox
from dixian_shared.contracts import PROVINCE_ACTION, ProvinceUpdate, ProvinceUpdateResult, Topic
from dixian_shared.errors import InvalidField
from monitoring_api.households.enums import MONITORING_SUBJECTS, Category
from monitoring_api.provincial import repository


async def apply(session: AsyncSession, update: ProvinceUpdate) -> ProvinceUpdateResult:
    if update.type != "subject_identified":
        return ProvinceUpdateResult(seq=update.seq, outcome="recorded")
    if update.subject_kind not in {c.value for c in MONITORING_SUBJECTS} or update.identified_on is None:
        raise InvalidField("body.subject_kind", "a subject needs its kind (监测对象类别) and identification date")
    household = await repository.household_for_update(session, update.household_local_id, update.id_number)
    if household is None:
        return ProvinceUpdateResult(seq=update.seq, outcome="unmatched")
    wanted = (Category(update.subject_kind), update.identified_on, list(update.risk_types))
    # Identified after its risk was marked eliminated here: a new risk, so the subject is at risk again.
    renewed = household.risk_eliminated_on is not None and update.identified_on > household.risk_eliminated_on
    if not renewed and (household.category, household.included_on, list(household.risk_causes or [])) == wanted:
        return ProvinceUpdateResult(seq=update.seq, outcome="unchanged", household_id=household.id)
    household.category, household.included_on, household.risk_causes = wanted
    if renewed:
        household.risk_eliminated_on, household.elimination_id = None, None
    await session.flush()
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, PROVINCE_ACTION
    )
    return ProvinceUpdateResult(seq=update.seq, outcome="applied", household_id=household.id)
