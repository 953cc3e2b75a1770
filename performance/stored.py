"""Indicators computed once: every reader of N1-N16 (the dashboard, the plan pages, the
committee reports) asks here, never `compute_indicators` directly.

- A closed period (its last day is past) is computed once and stored (`StoredIndicators`),
  keyed by the digest of the indicator definitions: a definition change (a new version, a
  threshold written into the wording) gives a new digest, so the stored row is no longer read
  and the figures are computed again under the new definitions.
- The figures stored are those as at the first read after the period closed. A record
  entered late for a closed period does not change them by itself: re-materialising is an
  explicit, audited act (`performance.services.indicators_rematerialise`). Reports already
  published keep the figures they printed; the next report's trend rows print the stored
  figures, so what one report published and the next repeats are the same numbers.
- The current period changes with every record: its figures are cached for a short time
  (`CSE_INDICATORS_CACHE_SECONDS`), then computed again.
- Both are kept in the cache too, so a dashboard of closed periods reads no table at all.

Exact figures, not disclosure controlled. Who may see them, and through which control, is
decided by the callers (performance.selectors, performance.reports), as before.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from partnership.models import Agency
from partnership.periods import Period
from performance.indicators import IndicatorResult, compute_indicators, indicator_definitions
from performance.models import StoredIndicators

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Bumped when the stored form of a result changes (fields of IndicatorResult and its parts).
STORAGE_FORMAT = "1"
# A closed period's figures change only by an explicit re-materialisation, which clears the
# cache entry itself; the timeout only bounds memory held by figures nobody reads.
STORED_CACHE_SECONDS = 24 * 60 * 60


def definitions_digest() -> str:
    """What the stored figures were computed under: every definition's id, version and
    wording (which carries today's thresholds)."""
    parts = [(d.id, d.version, d.definition) for d in indicator_definitions()]
    text = json.dumps([STORAGE_FORMAT, parts], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def is_closed(period: Period) -> bool:
    return period.end < timezone.localdate()


def _scope(agency: Agency | None) -> str:
    return "all" if agency is None else f"agency-{agency.pk}"


def cache_key(period: Period, agency: Agency | None, digest: str) -> str:
    return f"performance:indicators:{digest[:16]}:{period.code}:{_scope(agency)}"


def _cache_get_many(keys: list[str]) -> dict[str, Any]:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - a cache that is down is a miss, never an error page
        logger.warning("indicator cache unavailable; computing", exc_info=True)
        return {}


def _cache_set(key: str, value: Any, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("indicator cache unavailable; not cached", exc_info=True)


GENERATION_KEY = "performance:indicators:generation"


def generation() -> int:
    """Bumped by every re-materialisation: views built from stored figures (the dashboard's
    sections) carry it in their cache key, so none outlives the figures it was built from."""
    try:
        return int(cache.get(GENERATION_KEY) or 0)
    except Exception:  # noqa: BLE001
        logger.warning("indicator cache unavailable", exc_info=True)
        return 0


def _bump_generation() -> None:
    try:
        cache.set(GENERATION_KEY, generation() + 1, None)
    except Exception:  # noqa: BLE001
        logger.warning("indicator cache unavailable; generation not bumped", exc_info=True)


def cached_view(key: str, build: Callable[[], T], *, periods: Sequence[Period]) -> T:
    """`build()`, kept in the cache under `key` (which the caller makes from everything the
    result depends on, access included): as long as stored figures when every period is
    closed, as long as the current period's figures otherwise."""
    full_key = f"performance:view:{definitions_digest()[:16]}:{generation()}:{key}"
    found = _cache_get_many([full_key]).get(full_key)
    if found is not None:
        return cast(T, found)
    value = build()
    closed = all(is_closed(p) for p in periods)
    timeout = STORED_CACHE_SECONDS if closed else settings.CSE_INDICATORS_CACHE_SECONDS
    _cache_set(full_key, value, timeout)
    return value


def cache_forget(period: Period, agency: Agency | None) -> None:
    try:
        cache.delete(cache_key(period, agency, definitions_digest()))
    except Exception:  # noqa: BLE001
        logger.warning("indicator cache unavailable; entry not cleared", exc_info=True)


def _results(rows: list[dict[str, Any]]) -> list[IndicatorResult]:
    return [IndicatorResult.from_dict(row) for row in rows]


def _store(period: Period, agency: Agency | None, digest: str, rows: list[dict[str, Any]]) -> None:
    """Keep a closed period's figures. Two readers racing store once: the first row wins
    (ON CONFLICT DO NOTHING), and both return figures computed from the same records."""
    StoredIndicators.objects.bulk_create(
        [
            StoredIndicators(
                period=period.code,
                agency=agency,
                definitions=digest,
                results=rows,
                computed_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )


def indicators_for_periods(
    periods: Sequence[Period], *, agency: Agency | None = None
) -> dict[str, list[IndicatorResult]]:
    """Every indicator for each period (by period code), partnership-wide or counting
    `agency`'s records: from the cache, else the stored row (closed periods, one query for
    all of them), else computed (five queries a period) and kept."""
    digest = definitions_digest()
    keys = {p.code: cache_key(p, agency, digest) for p in periods}
    cached = _cache_get_many(list(keys.values()))
    found: dict[str, list[dict[str, Any]]] = {
        p.code: cached[keys[p.code]] for p in periods if keys[p.code] in cached
    }
    closed = [p for p in periods if p.code not in found and is_closed(p)]
    if closed:
        for row in StoredIndicators.objects.filter(
            period__in=[p.code for p in closed], agency=agency, definitions=digest
        ).values("period", "results"):
            found[row["period"]] = row["results"]
            _cache_set(keys[row["period"]], row["results"], STORED_CACHE_SECONDS)
    for period in periods:
        if period.code in found:
            continue
        rows = [r.as_dict() for r in compute_indicators(period, agency=agency)]
        if is_closed(period):
            _store(period, agency, digest, rows)
            _cache_set(keys[period.code], rows, STORED_CACHE_SECONDS)
        else:
            _cache_set(keys[period.code], rows, settings.CSE_INDICATORS_CACHE_SECONDS)
        found[period.code] = rows
    return {p.code: _results(found[p.code]) for p in periods}


def indicators_for_period(period: Period, *, agency: Agency | None = None) -> list[IndicatorResult]:
    return indicators_for_periods([period], agency=agency)[period.code]


def _flat(rows: list[dict[str, Any]] | None) -> dict[str, Any]:
    """Every figure and table row of a stored result by one name ("N1.referrals")."""
    flat: dict[str, Any] = {}
    for result in rows or []:
        for figure in result["figures"]:
            flat[f"{result['id']}.{figure['key']}"] = figure["value"]
        for table in result["tables"]:
            for row in table["rows"]:
                flat[f"{result['id']}.{table['key']}.{row['label']}"] = row["count"]
    return flat


@transaction.atomic
def stored_indicators_replace(*, period: Period) -> dict[str, tuple[Any, Any]]:
    """Compute a closed period's partnership figures again from the records as they are now
    and store them in place of the old ones; drop its per-agency rows (computed again when
    next read). Returns what changed, {name: (old, new)}. Only the audited service calls it."""
    digest = definitions_digest()
    stored = StoredIndicators.objects.select_for_update().filter(
        period=period.code, definitions=digest
    )
    old = stored.filter(agency__isnull=True).values_list("results", flat=True).first()
    agencies = list(Agency.objects.filter(pk__in=stored.values("agency_id")))
    rows = [r.as_dict() for r in compute_indicators(period)]
    stored.delete()
    _store(period, None, digest, rows)
    for agency in [None, *agencies]:
        # Now, and again once committed (a reader may have cached the old rows meanwhile).
        cache_forget(period, agency)
        transaction.on_commit(partial(cache_forget, period, agency))
    _bump_generation()
    transaction.on_commit(_bump_generation)
    before, after = _flat(old), _flat(rows)
    return {
        name: (before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    }
