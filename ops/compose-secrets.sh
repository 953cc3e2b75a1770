#!/usr/bin/env bash
# Make the two secret files docker-compose.yml mounts at /run/secrets, once per install:
# secrets/secret_key (Django's SECRET_KEY) and secrets/db_password (PostgreSQL's, read by both
# the postgres service and the app). Existing files are kept: a new SECRET_KEY would sign
# everyone out, a new database password would no longer match the initialised database.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077
mkdir -p secrets
chmod 700 secrets
for name in secret_key db_password; do
  if [ -s "secrets/$name" ]; then
    echo "secrets/$name exists: kept"
    continue
  fi
  python3 -c 'import secrets; print(secrets.token_urlsafe(48))' > "secrets/$name"
  # Readable by the containers' users (uid 10001 for the app, 999 for postgres): Compose
  # mounts the file itself. The directory's mode keeps other users of this machine out.
  chmod 644 "secrets/$name"
  echo "secrets/$name created"
done
