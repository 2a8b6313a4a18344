"""The command line every service has: `serve` (uvicorn) and `migrate` (Alembic upgrade of its schema), plus any
command of the service's own (listed by --help like the two others)."""

import argparse
import importlib.resources
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import uvicorn

from dixian_shared.migrations import upgrade
from dixian_shared.settings import ServiceSettings

# A service's own command: its one-line help and what runs it (no arguments of its own).
ExtraCommand = tuple[str, Callable[[], None]]


def run_service_cli(
    package: str,
    settings_class: type[ServiceSettings],
    *,
    default_port: int,
    extra_commands: Mapping[str, ExtraCommand] | None = None,
) -> None:
    extra = dict(extra_commands or {})
    parser = argparse.ArgumentParser(prog=package.replace("_", "-"))
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    serve.add_argument("--workers", type=int, default=1)
    migrate = commands.add_parser("migrate", help="upgrade the service's schema to the newest revision")
    migrate.add_argument("--revision", default="heads")
    for name, (help_text, _) in extra.items():
        commands.add_parser(name, help=help_text)
    args = parser.parse_args()

    if args.command in extra:
        extra[args.command][1]()
    elif args.command == "serve":
        metrics_folder = prepare_multiprocess_metrics(package) if args.workers > 1 else None
        try:
            run_uvicorn(package, args)
        finally:
            if metrics_folder is not None:
                shutil.rmtree(metrics_folder, ignore_errors=True)
    else:
        settings = settings_class()
        location = Path(str(importlib.resources.files(package) / "migrations"))
        upgrade(location, settings.postgres.url, settings.db_schema, args.revision)


def run_uvicorn(package: str, args: argparse.Namespace) -> None:
    uvicorn.run(
        f"{package}.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        proxy_headers=True,
    )


def prepare_multiprocess_metrics(package: str) -> Path:
    """Point prometheus_client at a folder every worker process writes to, emptied first (samples of a previous run
    would be counted again). Set before uvicorn starts the workers, which inherit the environment."""
    default = Path(tempfile.gettempdir()) / f"{package}-metrics-{os.getpid()}"
    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or default)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder
