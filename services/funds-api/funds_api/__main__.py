"""funds-api command line: `serve` runs the API, `migrate` upgrades the funds schema."""

from dixian_shared.service_cli import run_service_cli
from funds_api.settings import FundsSettings


def main() -> None:
    run_service_cli("funds_api", FundsSettings, default_port=8002)


if __name__ == "__main__":
    main()
