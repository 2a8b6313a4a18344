"""employment-api command line: `serve` runs the API, `migrate` upgrades the employment schema."""

from dixian_shared.service_cli import run_service_cli
from employment_api.settings import EmploymentSettings


def main() -> None:
    run_service_cli("employment_api", EmploymentSettings, default_port=8003)


if __name__ == "__main__":
    main()
