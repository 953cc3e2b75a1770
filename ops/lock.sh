#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml (`make lock`): requirements.lock for
# production (the Docker image) and requirements-dev.lock for development and CI (`make
# install`). Resolved against PyPI alone, whatever this machine's pip configuration adds
# (local wheel folders or extra indexes would put hashes in the lock that PyPI does not serve).
# The locks are for CPython 3.11 on Linux x86_64, the platform of the image and of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PIP_COMPILE="${PIP_COMPILE:-.venv/bin/pip-compile}"
export PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS="" PIP_EXTRA_INDEX_URL="" PIP_CONSTRAINT=""
common=(--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url
  --no-emit-find-links --no-emit-trusted-host --resolver=backtracking
  --index-url https://pypi.org/simple)
# Extra arguments go to both runs: `make lock` keeps every pin that still fits pyproject.toml
# and adds what is new; `make lock-upgrade` (--upgrade) takes the newest releases allowed.
# The development set is resolved first and constrains production, so a package has the same
# version in both files.
"$PIP_COMPILE" "${common[@]}" "$@" --extra dev --output-file requirements-dev.lock pyproject.toml
"$PIP_COMPILE" "${common[@]}" "$@" --constraint requirements-dev.lock \
  --output-file requirements.lock pyproject.toml
echo "requirements.lock and requirements-dev.lock regenerated from pyproject.toml"
