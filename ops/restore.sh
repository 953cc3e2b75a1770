#!/usr/bin/env bash
# Restore a pg_dump -Fc file into the PostgreSQL database named by DATABASE_URL.
# Usage: ops/restore.sh FILE
# Replaces what the target database holds (pg_restore --clean), in one transaction: on any
# error nothing changes. Restore into a fresh database, check it, then switch over.
set -euo pipefail
file="${1:?usage: ops/restore.sh FILE (a pg_dump -Fc file)}"
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "restore: DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac
[ -r "$file" ] || { echo "restore: cannot read $file" >&2; exit 2; }
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$file"
echo "restored $file"
