"""A form and query-string fuzzer over every URL of the project (issue 13).

Hypothesis draws a persona, a URL pattern from the resolver (the authorization matrix's
rows, so every pattern is covered and a new one without expectations fails elsewhere), and
then either a GET with fuzzed query parameters or a POST of the page's own form with fuzzed
values. Every request must answer below 500, and a persona who may not open the page must
change nothing: every table's rows and lock versions are compared around each request.

Parameter names come from the pages themselves (every field of every form and every query
key in every link, as the owner sees them) plus the names views read directly.
"""

import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.authorization import (
    IN_REACH_WRITES,
    PERSONAS,
    SIGNED_IN,
    changed,
    matrix,
    snapshot,
)
from tests.security.test_authorization_matrix import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# 2,000 in CI (the issue asks for at least that); CSE_FUZZ_EXAMPLES runs more or fewer.
FUZZ_EXAMPLES = int(os.environ.get("CSE_FUZZ_EXAMPLES", "2000"))
# Read by views straight from request.GET (not through a form), so fuzz them everywhere.
DIRECT_PARAMS = (
    "page",
    "sort",
    "q",
    "for",
    "searched",
    "agency",
    "status",
    "kind",
    "person",
    "young_person",
    "period",
    "committee",
    "next",
)
# Routes whose POST ends the client's session or needs a real device; fuzzed by GET only.
GET_ONLY_FUZZ = {"logout", "two_factor_verify", "two_factor_setup", "login"}


class _Fields(HTMLParser):
    """Names of every form field and every link query key on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.post: set[str] = set()
        self.get: set[str] = set()
        self._method: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._method = a.get("method", "get").lower()
        elif tag in ("input", "select", "textarea") and a.get("name") and self._method:
            if a.get("type") != "file":
                (self.post if self._method == "post" else self.get).add(a["name"])
        elif tag == "a" and "?" in a.get("href", ""):
            self.get.update(key for key, _ in parse_qsl(urlsplit(a["href"]).query, True))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._method = None


def _fields(html: str) -> tuple[set[str], set[str]]:
    parser = _Fields()
    parser.feed(html)
    parser.post.discard("csrfmiddlewaretoken")
    return parser.get, parser.post


def _client(world: dict, persona: str) -> Client:  # noqa: F811
    client = Client()
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    return client


@pytest.fixture
def surface(world: dict) -> dict[str, Any]:  # noqa: F811
    """Per URL pattern: its URL, and the GET and POST field names seen by anyone in reach."""
    rows = matrix()
    clients = {persona: _client(world, persona) for persona in PERSONAS}
    pages: dict[str, dict[str, Any]] = {}
    for name, row in sorted(rows.items()):
        get_names, post_names = set(DIRECT_PARAMS), set()
        # The page as the first persona who may open it sees it (one is enough for the
        # field names, and the world is built for the owner's forms).
        for persona in [p for p in SIGNED_IN if row.get[p] == 200][:1]:
            response = clients[persona].get(row.url(world))
            if response.get("Content-Type", "").startswith("text/html"):
                more_get, more_post = _fields(response.content.decode())
                get_names |= more_get
                post_names |= more_post
        pages[name] = {
            "row": row,
            "get": sorted(get_names),
            "post": sorted(post_names),
        }
    ids = [
        str(getattr(obj, "pk", ""))
        for obj in world["objects"].values()
        if getattr(obj, "pk", None) is not None
    ]
    # Signed in once per persona: every example's request runs in a savepoint rolled back,
    # so no example's session or writes reach the next.
    return {"pages": pages, "ids": sorted(set(ids)), "clients": clients}


def _values(ids: list[str]) -> st.SearchStrategy[str]:
    """Odd input a tester would try: Unicode digits, huge and negative numbers, bad dates,
    long and control-laden text, other agencies' ids, markup and SQL."""
    return st.one_of(
        st.sampled_from(
            [
                "",
                "0",
                "-1",
                "-5",
                "²",
                "٣",
                "1e3",
                "99999999999999999999",
                "9223372036854775808",
                "0001",
                "9999",
                "2024-02-30",
                "31/02/2024",
                "25:61",
                "'; DROP TABLE cases_referral; --",
                "<script>alert(1)</script>",
                "%00",
                "\x00",
                "a\x00b",
                "\u202e",
                "on",
                "true",
                "red",
                "cfs",
                "2025-26-H1",
                "x" * 5000,
            ]
        ),
        st.sampled_from(ids or ["1"]),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=40),
    )


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same 2,000 inputs on every run: a failure is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_forms_and_query_strings_never_500_nor_write_out_of_reach(
    world: dict,  # noqa: F811
    surface: dict[str, Any],
    data: st.DataObject,
) -> None:
    cache.clear()  # rate limits would otherwise turn every lookup into a 429 early on
    persona = data.draw(st.sampled_from(PERSONAS), label="persona")
    name = data.draw(st.sampled_from(sorted(surface["pages"])), label="url")
    page = surface["pages"][name]
    row = page["row"]
    values = _values(surface["ids"])
    method = "get" if name in GET_ONLY_FUZZ else data.draw(st.sampled_from(["get", "post"]))
    names = page["get"] if method == "get" else page["post"] or page["get"]
    chosen = data.draw(st.lists(st.sampled_from(names), max_size=6, unique=True), label="keys")
    params = {key: data.draw(values, label=key) for key in chosen}
    url = row.url(world)
    client = surface["clients"][persona]
    send: Callable[..., Any] = client.get if method == "get" else client.post
    # Within reach a fuzzed form may be valid and save: only outsiders are checked for writes
    # (the snapshot costs two queries over every table).
    in_reach = row.get[persona] == 200 or persona in IN_REACH_WRITES.get(name, {})
    with transaction.atomic():
        before = {} if in_reach else snapshot()
        try:
            response = send(url, params)
        except Exception as error:  # the test client re-raises what would be a 500
            pytest.fail(f"{persona} {method.upper()} {name} {params!r} raised {error!r}")
        writes = [] if in_reach else changed(before, snapshot())
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{persona} {method.upper()} {name} {params!r}"
    assert not writes, f"{persona} {method.upper()} {name} {params!r} wrote {writes}"
    # Downloads (evidence, reports) stream their body; everything else has it in memory.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if re.search(r"Traceback|File \"/", body.decode(errors="replace")):
        pytest.fail(f"{persona} {method.upper()} {name} shows a traceback")
