"""A simulator of the provincial monitoring system (省防返贫监测帮扶系统), for tests and `./dev up --demo`.

Its API, as the worker's provincial sync speaks it:

- `POST /api/records` `{"records": [{"key", "type", "local_id", "region_code", "data", "changed_at"}]}` with
  `X-API-Key`: each record is stored once by its `key` (a repeat is acknowledged `duplicate`); the answer is
  `{"acks": [{"key", "status": "accepted"|"duplicate"|"rejected", "reason"}]}`. A record without a 12-digit
  `region_code` or whose data says `"bad": true` is rejected; in strict mode the whole batch is refused with a 422
  naming the bad keys.
- `GET /api/updates?cursor=<seq>&limit=<n>`: the province's own changes after `cursor`, oldest first, with
  `next_cursor` (dixian_shared.contracts.ProvinceUpdate: `subject_identified`, `assistance_status`,
  `income_verified`). With `react` (`--demo`) the province answers every household it receives, one page read later,
  with a 帮扶状态 and the previous year's income as it verified it (some below the monitoring threshold).
- `POST /_faults` (JSON of `Faults` fields) sets the fault modes; `POST /_updates` adds updates; `GET /_state`.
"""

from deploy.province_sim.server import Faults, Province, start

__all__ = ["Faults", "Province", "start"]
