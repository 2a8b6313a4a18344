"""Upgrade the worker schema: `dixian-worker-migrate`."""

import importlib.resources
from pathlib import Path

from dixian_shared.migrations import upgrade
from dixian_worker.settings import WorkerSettings


def main() -> None:
    settings = WorkerSettings()
    location = Path(str(importlib.resources.files("dixian_worker") / "migrations"))
    upgrade(location, settings.postgres.url, settings.db_schema)


if __name__ == "__main__":
    main()
