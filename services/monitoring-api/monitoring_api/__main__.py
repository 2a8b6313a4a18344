"""monitoring-api command line: `serve` runs the API, `migrate` upgrades the monitoring schema."""

from dixian_shared.service_cli import run_service_cli
from monitoring_api.settings import MonitoringSettings


def main() -> None:
    run_service_cli("monitoring_api", MonitoringSettings, default_port=8001)


if __name__ == "__main__":
    main()
