"""Read replica routing: read-only list, chronology, dashboard and report reads may go to a
streaming replica (DATABASE_REPLICA_URL); everything else, and every write, goes to the
primary.

Reads use the replica only inside `replica_reads()` (or a view the middleware below marks),
never by default: a read that decides a write (a version check, a duplicate search, a
permission check before a save) must see the primary. Read-your-writes: after a request that
may have written (any method but GET/HEAD/OPTIONS), the user's session reads from the primary
for CSE_REPLICA_STICKY_SECONDS, longer than the replica's normal lag, so a practitioner who
has just logged a referral finds it in the list.

Without DATABASE_REPLICA_URL the router answers None everywhere and nothing changes.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Session key: a UNIX time before which this session reads from the primary only.
PRIMARY_UNTIL = "cse_primary_until"

_use_replica: ContextVar[bool] = ContextVar("cse_use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (writes still go to the primary).
    For reads that tolerate a replica's lag of a second or so and decide no write."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary even within replica_reads()."""
    token = _use_replica.set(False)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry. Both aliases hold the same data, so relations are allowed and
    migrations run on the primary only (the replica is a physical copy of it)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _use_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Runs the views named in CSE_REPLICA_VIEWS inside replica_reads() for GET requests,
    unless the session wrote within the last CSE_REPLICA_STICKY_SECONDS; marks the session
    after a request that may have written. Place it after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._cse_replica_token = None  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            token = request._cse_replica_token  # type: ignore[attr-defined]
            if token is not None:
                _use_replica.reset(token)
        if request.method not in SAFE_METHODS and replica_configured():
            session = getattr(request, "session", None)
            if session is not None:
                session[PRIMARY_UNTIL] = time.time() + settings.CSE_REPLICA_STICKY_SECONDS
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if request.method not in SAFE_METHODS or not replica_configured():
            return None
        match = request.resolver_match
        if match is None or match.view_name not in settings.CSE_REPLICA_VIEWS:
            return None
        session = getattr(request, "session", None)
        if session is not None and session.get(PRIMARY_UNTIL, 0) > time.time():
            return None  # read-your-writes: this session wrote a moment ago
        # The user is loaded from the primary before reads switch over (the session and
        # the signed-in user decide access; they must never lag).
        getattr(request, "user", None) and request.user.pk  # noqa: B018
        request._cse_replica_token = _use_replica.set(True)  # type: ignore[attr-defined]
        return None
