"""The district's correction of a wrongly recorded category: a data fix, not a decision, so it names its reason.

Inclusion (识别纳入) and risk elimination (风险消除) are the only decisions that change who is a monitoring subject;
this action exists for records that were wrong from the start (an import, a typing error), and is audited with the
reason beside the before and after.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, outbox
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from monitoring_api.households.errors import (
    CorrectionChangesNothing,
    CorrectionNeedsReason,
    DateInFuture,
    SubjectNeedsInclusionDate,
)
from monitoring_api.households.models import Household
from monitoring_api.households.schemas import CategoryCorrection
from monitoring_api.households.service import require_household


async def correct_category(
    session: AsyncSession,
    principal: Principal,
    household_id: int,
    if_match: str | None,
    data: CategoryCorrection,
    today: date,
) -> Household:
    household = await require_household(session, principal, household_id, for_update=True)
    if if_match is not None:
        check_version(if_match, household.version)
    reason = data.reason.strip()
    if not reason:
        raise CorrectionNeedsReason(field="body.reason")
    if data.category == household.category:
        raise CorrectionChangesNothing(field="body.category", household_id=household.id, category=household.category)
    included_on = data.included_on or household.included_on
    if data.category.is_monitoring_subject and included_on is None:
        raise SubjectNeedsInclusionDate(field="body.included_on", category=data.category)
    if data.included_on is not None and data.included_on > today:
        raise DateInFuture(field="body.included_on", what="included_on", value=data.included_on, today=today)
    before = household.category
    household.category = data.category
    household.included_on = included_on
    await session.flush()
    changes = {"category": [before.value, data.category.value], "reason": reason}
    await audit.record(session, "household", str(household.id), "correct", changes)
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, "updated"
    )
    return household
