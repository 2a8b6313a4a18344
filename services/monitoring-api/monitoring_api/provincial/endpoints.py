"""Routes for the worker's provincial sync (service keys): records by id to push, the province's updates to apply."""

from typing import Annotated

from fastapi import Depends, Path, Query

from dixian_shared.auth.deps import require_service_scope
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import ProvinceUpdate, ProvinceUpdateResult, ServiceRecord, ServiceRecords, ServiceScope
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import Rules
from monitoring_api.provincial import repository, service

router = make_router(tags=["service"])

RegistryReader = Annotated[Principal, Depends(require_service_scope(ServiceScope.registry_read))]
ProvinceSync = Annotated[Principal, Depends(require_service_scope(ServiceScope.province_sync))]
Entity = Annotated[str, Path(pattern="^(" + "|".join(repository.ENTITIES) + ")$")]


@router.get(
    "/service/records/{entity}",
    response_model=ServiceRecords,
    summary="Records by id, as the registry reads them, for the provincial push",
)
async def records(
    session: DbSession,
    _principal: RegistryReader,
    entity: Entity,
    ids: Annotated[list[Annotated[int, Query(ge=1, le=2**62)]], Query(min_length=1, max_length=500)],
) -> ServiceRecords:
    _, schema = repository.ENTITIES[entity]
    found = await repository.records(session, entity, ids)
    read = [schema.model_validate(row).model_dump(mode="json") for row in found]
    present = {row["id"] for row in read}
    return ServiceRecords(
        records=[ServiceRecord(entity=entity, id=r["id"], region_code=r["region_code"], data=r) for r in read],
        missing=sorted(set(ids) - present),
    )


@router.post(
    "/service/province-updates",
    response_model=ProvinceUpdateResult,
    summary="Apply one update the province made: a subject it identified, a 帮扶状态, an income it verified",
)
async def apply_update(
    session: DbSession, _principal: ProvinceSync, rules: Rules, update: ProvinceUpdate
) -> ProvinceUpdateResult:
    return await service.apply(session, update, rules=rules)
