"""employment-api command line: `serve` runs the API, `migrate` upgrades the employment schema,
`backfill-roster` fills the labour roster from monitoring-api's registry (EMPLOYMENT_MONITORING__URL / __API_KEY)."""

import sys

from dixian_shared.service_cli import run_service_cli
from employment_api.roster import backfill
from employment_api.settings import EmploymentSettings


def main() -> None:
    if sys.argv[1:2] == ["backfill-roster"]:
        backfill.main()
        return
    run_service_cli("employment_api", EmploymentSettings, default_port=8003)


if __name__ == "__main__":
    main()
