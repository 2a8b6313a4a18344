"""`employment-api backfill-roster`: fill the roster from an existing registry, through monitoring-api's feed."""

import asyncio
from dataclasses import asdict

from dixian_shared.db import create_engine, create_sessionmaker, unit_of_work
from dixian_shared.service_client import service_client
from employment_api.deps import today_in_shanghai
from employment_api.models import COMMON
from employment_api.roster import service
from employment_api.settings import EmploymentSettings


async def run(settings: EmploymentSettings) -> dict[str, int]:
    engine = create_engine(settings.postgres, application_name="employment-backfill")
    sessionmaker = create_sessionmaker(engine)
    sessionmaker.configure(info={"common": COMMON, "actor": "backfill-roster"})
    try:
        async with service_client(settings.monitoring) as client:
            counts = await service.backfill(
                lambda: unit_of_work(sessionmaker), client, rules=settings.rules, today=today_in_shanghai()
            )
    finally:
        await engine.dispose()
    return asdict(counts)


def main() -> None:
    print(asyncio.run(run(EmploymentSettings())))
