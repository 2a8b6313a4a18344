"""Each schema's migrations build exactly what its models declare: a model changed without a migration fails here."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from dixian_shared.identity.models import IdentityBase
from dixian_shared.migrations import context_options
from dixian_worker.models import Base as WorkerBase
from dixian_worker.notifications import models as _notifications  # noqa: F401  (registers the worker's tables)
from dixian_worker.reminders import models as _reminders  # noqa: F401
from dixian_worker.sync import models as _sync  # noqa: F401
from employment_api import app as _employment  # noqa: F401  (imports every domain, so every table is registered)
from employment_api.models import Base as EmploymentBase
from funds_api import app as _funds  # noqa: F401
from funds_api.models import Base as FundsBase
from monitoring_api import app as _monitoring  # noqa: F401
from monitoring_api.models import Base as MonitoringBase

METADATA: dict[str, MetaData] = {
    "identity": IdentityBase.metadata,
    "monitoring": MonitoringBase.metadata,
    "funds": FundsBase.metadata,
    "employment": EmploymentBase.metadata,
    "worker": WorkerBase.metadata,
}


@pytest.mark.parametrize("schema", METADATA)
async def test_the_migrated_schema_is_what_the_models_declare(engine: AsyncEngine, schema: str) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts=context_options(schema))
        return list(compare_metadata(context, METADATA[schema]))

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []
