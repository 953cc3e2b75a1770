# One image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CSE_VAR_DIR=/var/lib/cse-portal
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static/build ./static/build
RUN useradd --system --home /app cse && mkdir -p /var/lib/cse-portal && chown cse /var/lib/cse-portal \
 && SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --no-input
USER cse
EXPOSE 8000
