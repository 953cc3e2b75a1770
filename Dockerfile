# syntax=docker/dockerfile:1
# One image for web (the CMD), worker, beat and the one-off migrate job: see docker-compose.yml.
# Three stages, so the final image holds neither build tools nor sources it does not run:
# no npm, Sass or axe-core, no tests/ or bench/, no SCSS, no development Python packages.

# --- Front-end assets: GOV.UK Frontend and MOJ Frontend compiled with Sass ------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
# axe-core is the browser tests' accessibility checker: built beside the assets, never shipped.
RUN npm run build && rm -f static/build/axe.min.js

# --- Application source, without what production does not run ------------------------------
FROM python:3.11-slim-bookworm AS source
COPY . /src
RUN rm -rf /src/tests /src/bench /src/docs /src/static/scss /src/static/scripts \
    /src/package.json /src/package-lock.json /src/requirements-dev.lock /src/Makefile

# --- Runtime ---------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CSE_VAR_DIR=/var/lib/cse-portal \
    CSE_STATIC_ROOT=/var/lib/cse-static \
    WEB_CONCURRENCY=2
# Pango and HarfBuzz for WeasyPrint (committee PDFs), a font, pg_dump/pg_restore for backups.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Exactly the versions and hashes of requirements.lock (`make lock`): two builds install the
# same packages, and a tampered download fails the build.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY --from=source /src ./
COPY --from=assets /app/static/build ./static/build
# Private files and collected static files live in volumes (docker-compose.yml), one each.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin cse \
 && mkdir -p /var/lib/cse-portal /var/lib/cse-static \
 && chown cse /var/lib/cse-portal /var/lib/cse-static
USER cse
EXPOSE 8000
# The web service. Workers: WEB_CONCURRENCY (read by gunicorn). No access log: URLs carry
# search terms, which may be a child's name. No --forwarded-allow-ips:
# Django decides HTTPS from X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER), and only the
# reverse proxy can reach this port.
CMD ["gunicorn", "cse_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60"]
