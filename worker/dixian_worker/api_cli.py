"""`dixian-worker-api serve|migrate`: the worker's API, like every service's command line."""

from dixian_shared.service_cli import run_service_cli
from dixian_worker.settings import WorkerSettings


def main() -> None:
    run_service_cli("dixian_worker", WorkerSettings, default_port=8004)


if __name__ == "__main__":
    main()
