"""Routes for sibling services: a service key with the registry.read scope (or a district user) reads a person."""

from typing import Annotated

from fastapi import Depends, Path

from dixian_shared import idnumber
from dixian_shared.auth.deps import require_service_scope
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import RegistryPerson, ServiceScope
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.routing import DbSession, make_router
from monitoring_api.people import repository

router = make_router(tags=["service"])

RegistryReader = Annotated[Principal, Depends(require_service_scope(ServiceScope.registry_read))]


@router.get(
    "/service/people/{id_number}",
    response_model=RegistryPerson,
    summary="A person by resident ID number: household category, village, in the registry / died / moved away",
)
async def get_person(
    session: DbSession,
    _principal: RegistryReader,
    id_number: Annotated[str, Path(min_length=18, max_length=18, pattern=r"^[0-9]{17}[0-9Xx]$")],
) -> RegistryPerson:
    try:
        number = idnumber.validate(id_number)
    except ValueError as exc:
        raise InvalidField("path.id_number", str(exc), getattr(exc, "message_zh", str(exc))) from None
    row = await repository.person_by_id_number(session, number)
    if row is None:
        raise NotFound(entity="person", key=number)
    return RegistryPerson.model_validate(row._asdict())
