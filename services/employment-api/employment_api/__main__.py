"""employment-api command line: `serve` runs the API, `migrate` upgrades the employment schema,
`backfill-roster` fills the labour roster from monitoring-api's registry (EMPLOYMENT_MONITORING__URL / __API_KEY)."""

from dixian_shared.service_cli import run_service_cli
from employment_api.roster import backfill
from employment_api.settings import EmploymentSettings


def main() -> None:
    run_service_cli(
        "employment_api",
        EmploymentSettings,
        default_port=8003,
        extra_commands={
            "backfill-roster": ("fill the labour roster from monitoring-api's registry (safe to rerun)", backfill.main)
        },
    )


if __name__ == "__main__":
    main()
