#!/bin/sh
# The one-shot migrate step: every schema to its newest revision, then the region tree. Safe to run again.
set -eu
: "${DIXIAN_DATABASE_URL:?set DIXIAN_DATABASE_URL}"
dixian-admin --database-url "$DIXIAN_DATABASE_URL" migrate-identity
MONITORING_POSTGRES__URL="$DIXIAN_DATABASE_URL" monitoring-api migrate
FUNDS_POSTGRES__URL="$DIXIAN_DATABASE_URL" funds-api migrate
EMPLOYMENT_POSTGRES__URL="$DIXIAN_DATABASE_URL" employment-api migrate
WORKER_POSTGRES__URL="$DIXIAN_DATABASE_URL" dixian-worker-migrate
dixian-admin --database-url "$DIXIAN_DATABASE_URL" load-regions --file "${DIXIAN_REGION_FILE:-deploy/regions.csv}"
