#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL with pg_dump's custom format (-Fc).
# Usage: ops/backup.sh [OUTPUT_FILE]   (default var/backups/cse_portal-<UTC time>.dump)
# Prints the file written. The dump holds personal data: it is written mode 0600; keep it
# encrypted at rest and off shared storage.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup: DATABASE_URL is not a PostgreSQL URL; pg_dump backs up PostgreSQL only" >&2; exit 2 ;;
esac
out="${1:-var/backups/cse_portal-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$out" --dbname="$DATABASE_URL"
echo "$out"
