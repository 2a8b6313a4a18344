"""The command line every service has: `serve` (uvicorn) and `migrate` (Alembic upgrade of its schema)."""

import argparse
import importlib.resources
from pathlib import Path

import uvicorn

from dixian_shared.migrations import upgrade
from dixian_shared.settings import ServiceSettings


def run_service_cli(package: str, settings_class: type[ServiceSettings], *, default_port: int) -> None:
    parser = argparse.ArgumentParser(prog=package.replace("_", "-"))
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    serve.add_argument("--workers", type=int, default=1)
    migrate = commands.add_parser("migrate", help="upgrade the service's schema to the newest revision")
    migrate.add_argument("--revision", default="heads")
    args = parser.parse_args()

    if args.command == "serve":
        uvicorn.run(
            f"{package}.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=None,
            proxy_headers=True,
        )
    else:
        settings = settings_class()
        location = Path(str(importlib.resources.files(package) / "migrations"))
        upgrade(location, settings.postgres.url, settings.db_schema, args.revision)
