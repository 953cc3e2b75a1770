"""What the in-process figures call a page with: the bench user, a request as the
middleware would leave it, a view call that must answer 200, a signed-in test client, and
the template and context a page hands to render()."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from bench.seed import LARGEST_AGENCY

_USER_IDS: dict[str, int] = {}


def bench_user(code: str = LARGEST_AGENCY) -> Any:
    """A fresh user object each time, loaded as AuthenticationMiddleware loads one per
    request (by id, through the authentication backend: the user, agency and roles)."""
    from accounts.backends import MemberBackend
    from accounts.models import User

    if code not in _USER_IDS:
        _USER_IDS[code] = User.objects.get(username=f"bench.{code}").pk
    return MemberBackend().get_user(_USER_IDS[code])


def make_request(path: str, query: dict[str, Any], user_code: str = LARGEST_AGENCY) -> Any:
    request = RequestFactory().get(path, query)
    request.user = bench_user(user_code)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def call_ok(view: Callable[..., HttpResponse], request: Any, *args: Any) -> HttpResponse:
    response = view(request, *args)
    if response.status_code != 200:
        raise RuntimeError(f"{request.path} answered {response.status_code}")
    return response


@contextmanager
def captured_render() -> Iterator[dict[str, Any]]:
    """What cases.views hands to render(): the template and the context, as the page built
    them, so a reference can be checked against what the page shows."""
    from cases.views import pages as views

    captured: dict[str, Any] = {}
    original = views.render

    def capture(request: Any, template: str, context: Any = None, *args: Any, **kw: Any) -> Any:
        captured.update(request=request, template=template, context=context)
        return original(request, template, context, *args, **kw)

    views.render = capture  # type: ignore[assignment]
    try:
        yield captured
    finally:
        views.render = original


def signed_in_client() -> Any:
    """A test client carrying a signed-in session of the bench user (made directly)."""
    from django.test import Client

    from bench.server import signed_in_session

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(bench_user())
    return client
